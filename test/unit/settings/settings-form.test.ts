import { describe, expect, it } from "vitest";
import { validateView } from "../../../src/sandbox/block-kit-limits.js";
import { buildSettingsModal, sectionOrder } from "../../../src/slack/blocks/settings-modal.js";
import {
  DEBRIEF_BLOCK,
  ROLLUP_SETTINGS_BLOCK,
  SETTINGS_BLOCK,
  settingsSection,
  TEAM_BLOCK,
  VIEW,
} from "../../../src/slack/ids.js";
import { parseSettings } from "../../../src/slack/parsers/settings.js";
import { changedRowSections, SETTINGS_SECTIONS } from "../../../src/teams/settings.js";
import type { Answer } from "../../slack/sender.js";
import { buildViewState } from "../../slack/view-state.js";
import { teamFixture } from "../../support/team-fixture.js";

const team = teamFixture({ incidentsChannelId: "C0INC" });
const ctx = { slackTeamId: "T1", userId: "U1" };
const modalFor = (start: (typeof SETTINGS_SECTIONS)[number], t = team) =>
  buildSettingsModal({
    team: t,
    channelId: "C1",
    defaultTimezone: "Europe/London",
    workspaceChannelId: "C0ALL",
    start,
  });
const headers = (view: { blocks: { type: string; block_id?: string }[] }) =>
  view.blocks.filter((b) => b.type === "header").map((b) => b.block_id);
/** The modal as a person submits it: every input at its initial value unless answered. */
const submitted = (view: { blocks: unknown[] }, answers: Record<string, Answer> = {}) =>
  buildViewState(view, answers, { timezone: "Europe/London", requireAnswers: false });

describe("buildSettingsModal", () => {
  it.each(SETTINGS_SECTIONS)(
    "opened at %s: that section first, every other below, within Slack's limits",
    (start) => {
      const view = modalFor(start);
      expect(view.callback_id).toBe(VIEW.settings);
      expect(headers(view)).toEqual(sectionOrder(start).map(settingsSection));
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      expect(validateView(view)).toEqual([]);
      expect(JSON.parse(view.private_metadata ?? "{}")).toEqual({ teamId: "t1" });
      const note = view.blocks.find((b) => b.block_id === SETTINGS_BLOCK.note);
      if (start === "team") expect(note).toBeUndefined();
      else expect(view.blocks[0]).toBe(note);
    },
  );

  it("has 31 blocks at most with every section (Team admins and its no-admins hint too): far under Slack's 100", () => {
    expect(modalFor("rollup").blocks).toHaveLength(31);
  });

  it("offers a channel with no team the team section only, saying where the rest went", () => {
    const view = buildSettingsModal({
      team: null,
      channelId: "C9",
      defaultTimezone: "Asia/Kolkata",
      workspaceChannelId: null,
      start: "rollup",
    });
    expect(headers(view)).toEqual([settingsSection("team")]);
    expect(view.title.text).toBe("Set up your team");
    expect(view.private_metadata).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain("once the team is saved");
    expect(submitted(view)[TEAM_BLOCK.timezone]?.[TEAM_BLOCK.timezone]).toMatchObject({
      value: "Asia/Kolkata",
    });
    expect(validateView(view)).toEqual([]);
  });
});

describe("parseSettings", () => {
  it("reads every section of the modal as it was opened", () => {
    const parsed = parseSettings(submitted(modalFor("team")), ctx);
    expect(parsed).toEqual({
      ok: true,
      value: {
        team: {
          slackTeamId: "T1",
          userId: "U1",
          name: team.name,
          channelId: team.channelId,
          timezone: team.timezone,
          reviewWeekday: team.reviewWeekday,
          reviewTime: team.reviewTime,
          cadenceWeeks: team.cadenceWeeks,
        },
        debrief: {
          debriefEnabled: team.debriefEnabled,
          debriefWeekday: team.debriefWeekday,
          debriefTime: team.debriefTime,
          debriefDigestTime: team.debriefDigestTime,
          debriefNudge: team.debriefNudge,
        },
        rollup: {
          rollupWeekday: team.rollupWeekday,
          rollupTime: team.rollupTime,
          workspaceChannelId: "C0ALL",
        },
        incidents: { incidentsChannelId: "C0INC", fullCoeSeverities: "sev1,sev2", coeDeepDiveHours: 48 },
        admins: team.admins,
      },
    });
  });

  it("reads which severities need a full COE and the deep-dive window; refuses a window that isn't whole hours in range", () => {
    const values = submitted(modalFor("incidents"));
    const withIncidents = (patch: Record<string, unknown>) => parseSettings({ ...values, ...patch }, ctx);
    const pick = (...severities: string[]) => ({
      [SETTINGS_BLOCK.fullCoeSeverities]: {
        [SETTINGS_BLOCK.fullCoeSeverities]: {
          type: "checkboxes",
          selected_options: severities.map((value) => ({ value })),
        },
      },
    });
    const hours = (value: string) => ({
      [SETTINGS_BLOCK.coeDeepDiveHours]: {
        [SETTINGS_BLOCK.coeDeepDiveHours]: { type: "number_input", value },
      },
    });
    expect(withIncidents({ ...pick("sev3", "sev1"), ...hours("72") })).toMatchObject({
      ok: true,
      value: { incidents: { fullCoeSeverities: "sev1,sev3", coeDeepDiveHours: 72 } },
    });
    // None full: every COE is light.
    expect(withIncidents(pick())).toMatchObject({
      ok: true,
      value: { incidents: { fullCoeSeverities: "" } },
    });
    const refusal = "Give the deep-dive window in whole hours, from 1 to 720.";
    for (const bad of ["0", "1.5", "721", "-3", ""]) {
      expect(withIncidents(hours(bad))).toEqual({
        ok: false,
        errors: { [SETTINGS_BLOCK.coeDeepDiveHours]: refusal },
      });
    }
    expect(withIncidents(pick("sev9"))).toEqual({
      ok: false,
      errors: { [SETTINGS_BLOCK.fullCoeSeverities]: "Pick severities from the list." },
    });
  });

  it("leaves out the sections a new team's form doesn't carry", () => {
    const view = buildSettingsModal({
      team: null,
      channelId: "C9",
      defaultTimezone: "UTC",
      workspaceChannelId: null,
      start: "team",
    });
    const parsed = parseSettings(submitted(view, { [TEAM_BLOCK.name]: "New squad" }), ctx);
    expect(parsed).toMatchObject({ ok: true, value: { debrief: null, rollup: null, incidents: null } });
  });

  it("refuses the whole form with every section's errors on their own inputs", () => {
    const state = submitted(modalFor("team"), {
      [TEAM_BLOCK.timezone]: "Mars/Olympus",
      [DEBRIEF_BLOCK.digestTime]: "09:00",
      [ROLLUP_SETTINGS_BLOCK.channel]: "D0DM",
      [SETTINGS_BLOCK.incidentsChannel]: "D0DM",
    });
    const parsed = parseSettings(state, ctx);
    expect(parsed.ok).toBe(false);
    expect(Object.keys(parsed.ok ? {} : parsed.errors).sort()).toEqual(
      [
        TEAM_BLOCK.timezone,
        DEBRIEF_BLOCK.digestTime,
        ROLLUP_SETTINGS_BLOCK.channel,
        SETTINGS_BLOCK.incidentsChannel,
      ].sort(),
    );
  });

  it("reads an emptied incidents channel as the team channel (null)", () => {
    const parsed = parseSettings(
      submitted(modalFor("incidents"), { [SETTINGS_BLOCK.incidentsChannel]: null }),
      ctx,
    );
    expect(parsed).toMatchObject({ ok: true, value: { incidents: { incidentsChannelId: null } } });
  });
});

describe("changedRowSections", () => {
  it("names only the sections whose fields differ; a new team is its team section", () => {
    expect(changedRowSections(team, { ...team })).toEqual([]);
    expect(
      changedRowSections(team, { ...team, debriefNudge: !team.debriefNudge, incidentsChannelId: null }),
    ).toEqual(["debrief", "incidents"]);
    expect(changedRowSections(team, { ...team, reviewTime: "11:00", rollupTime: "07:00" })).toEqual([
      "team",
      "rollup",
    ]);
    expect(changedRowSections(null, team)).toEqual(["team"]);
  });
});
