import type { App } from "@slack/bolt";
import type { FloorAddMeta, FloorRetireMeta } from "../../blocks/floor.js";
import type { SlackDeps } from "../../deps.js";
import { FLOOR_BLOCK, FLOOR_VIEW } from "../../ids.js";
import { parseAddDefaultForm, parseRetireForm } from "../../parsers/floor-form.js";
import { onSubmit } from "../kit/submit.js";

/** The barbell plan's modals: add a default to the Floor, or retire one with its reason. */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<FloorAddMeta>(app, deps)(FLOOR_VIEW.add, {
    fallbackBlock: FLOOR_BLOCK.text,
    parse: (s) => parseAddDefaultForm(s.values),
    save: async (input, s) => {
      const teamId = s.meta.teamId ?? "";
      await deps.floor.add(teamId, input, s.userId);
      return { label: "floor default added", run: async () => deps.floor.changed(teamId) };
    },
  });

  onSubmit<FloorRetireMeta>(app, deps)(FLOOR_VIEW.retire, {
    fallbackBlock: FLOOR_BLOCK.reason,
    parse: (s) => parseRetireForm(s.values),
    save: async ({ reason }, s) => {
      const teamId = s.meta.teamId ?? "";
      await deps.floor.retire(teamId, s.meta.ref ?? "", reason, s.userId);
      return { label: "floor default retired", run: async () => deps.floor.changed(teamId) };
    },
  });
}
