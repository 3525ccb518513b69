import type { App } from "@slack/bolt";
import type { WbrModalMeta } from "../../blocks/wbr.js";
import type { SlackDeps } from "../../deps.js";
import { WBR_BLOCK, WBR_VIEW } from "../../ids.js";
import { parseLinkForm, parseMetricForm } from "../../parsers/wbr-form.js";
import { onSubmit } from "../kit/submit.js";

/**
 * The WBR's metric modals: add a metric, link a mechanism signal (readings: wbr-readings-form.ts,
 * settings: wbr-settings-form.ts). Nothing is posted after the save: `/ratchet wbr` and the WBR read them.
 */
export function register(app: App, deps: SlackDeps): void {
  const submit = onSubmit<WbrModalMeta>(app, deps);
  submit(WBR_VIEW.addMetric, {
    fallbackBlock: WBR_BLOCK.name,
    parse: (s) => parseMetricForm(s.values),
    save: async (input, s) => {
      await deps.wbr.addMetric(s.meta.teamId ?? "", input, s.userId);
      return undefined;
    },
  });
  submit(WBR_VIEW.linkSignal, {
    fallbackBlock: WBR_BLOCK.signal,
    parse: (s) => parseLinkForm(s.values),
    save: async (input, s) => {
      await deps.wbr.linkSignal(s.meta.teamId ?? "", input, s.userId);
      return undefined;
    },
  });
}
