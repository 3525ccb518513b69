import type { App } from "@slack/bolt";
import { localDateKey } from "../../../scheduler/schedule.js";
import {
  buildAddMetricModal,
  buildLinkSignalModal,
  buildReadingsModal,
  buildWbrSettingsModal,
} from "../../blocks/wbr.js";
import type { SlackDeps } from "../../deps.js";
import { WBR_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

/** The buttons of `/ratchet wbr` (and the owner's reminder DM): each opens its modal; value = team id. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, WBR_ACTION.addMetric, async (click) => {
    const team = await deps.wbr.team(click.value);
    await click.openModal(buildAddMetricModal({ meta: { teamId: team.id }, teamName: team.name }));
  });
  onButton(app, deps, WBR_ACTION.linkSignal, async (click) => {
    const team = await deps.wbr.team(click.value);
    const signals = await deps.wbr.linkableSignals(team.id);
    await click.openModal(buildLinkSignalModal({ meta: { teamId: team.id }, teamName: team.name, signals }));
  });
  onButton(app, deps, WBR_ACTION.readings, async (click) => {
    const f = await deps.wbr.readingsForm(click.value);
    const weekLabel = localDateKey(f.wbrAt, f.timezone);
    const meta = { teamId: f.team.id };
    await click.openModal(buildReadingsModal({ meta, teamName: f.team.name, weekLabel, typed: f.typed }));
  });
  onButton(app, deps, WBR_ACTION.settings, async (click) => {
    const { team, schedule } = await deps.wbr.openSettings(click.value, click.userId);
    const defaults = { defaultTimezone: team.timezone, defaultChannel: team.channelId };
    await click.openModal(buildWbrSettingsModal({ meta: { teamId: team.id }, schedule, ...defaults }));
  });
}
