import { describe, expect, it } from "vitest";
import type { AlarmKind } from "../../../src/alarms/types.js";
import { ALARM_KIND_INFO, ALARM_KINDS } from "../../../src/alarms/types.js";
import { validateBlocks } from "../../../src/sandbox/block-kit-limits.js";
import {
  type AlarmState,
  type AlarmView,
  buildAlarmList,
  buildAlarmMessage,
} from "../../../src/slack/blocks/alarm.js";
import { ALARM_ACTION, ALARM_BLOCK } from "../../../src/slack/ids.js";
import { blockById, blocksOfType, findBlock, textOf, visibleText } from "../../support/blocks.js";

const view = (over: Partial<AlarmView> = {}): AlarmView => ({
  id: "alarm1",
  kind: "unstoppable_guardrail",
  subjectKey: "m1",
  subjectLabel: "First-run nudge",
  evidence: "Stop owner <@U0GONE> is deactivated, so nobody can say stop when the guardrail trips.",
  suggestion: "Name one person who can say stop when the guardrail trips.",
  raisedLabel: "Tue 1 Dec, 10:00 (Europe/London)",
  cycles: 1,
  ...over,
});

type Block = { type: string; block_id?: string; elements?: { action_id?: string; value?: string }[] };
const blocksOf = (state: AlarmState, over: Partial<AlarmView> = {}) =>
  buildAlarmMessage(view(over), state).blocks as unknown as Block[];
const buttons = (blocks: Block[]) =>
  blocks.find((b) => b.block_id === ALARM_BLOCK.actions)?.elements?.map((e) => e.action_id) ?? [];

describe("alarm message", () => {
  // [state, AlarmState, buttons, the block that says so, what it says]
  it.each<[string, AlarmState, string[], string, string]>([
    [
      "open",
      { status: "open" },
      [ALARM_ACTION.acknowledge, ALARM_ACTION.snooze],
      ALARM_BLOCK.status,
      "Raised Tue 1 Dec",
    ],
    [
      "acknowledged",
      { status: "acknowledged", by: "U0OWNER" },
      [ALARM_ACTION.snooze],
      ALARM_BLOCK.status,
      "Acknowledged by <@U0OWNER>",
    ],
    [
      "snoozed",
      { status: "snoozed", by: "U0OWNER", backLabel: "Tue 15 Dec, 10:00 (Europe/London)" },
      [],
      ALARM_BLOCK.status,
      "comes back from Tue 15 Dec, 10:00",
    ],
    [
      "resolved",
      { status: "resolved", resolvedLabel: "Wed 2 Dec, 09:00 (Europe/London)" },
      [],
      ALARM_BLOCK.head,
      "✅ *Resolved — Nobody can say stop*",
    ],
  ])(
    "renders the %s state with the right buttons and status line",
    (_name, state, expected, block, shows) => {
      const blocks = blocksOf(state);
      expect(buttons(blocks)).toEqual(expected);
      expect(textOf(blockById(blocks, block))).toContain(shows);
      expect(validateBlocks(blocks, "message")).toEqual([]);
    },
  );

  it("says how many cycles a condition has been open, and since when, once it is carried over", () => {
    const open = textOf(blockById(blocksOf({ status: "open" }, { cycles: 3 }), ALARM_BLOCK.status));
    expect(open).toBe("Still open: 3 cycles, since Tue 1 Dec, 10:00 (Europe/London)");
    const acknowledged = blocksOf({ status: "acknowledged", by: "U0OWNER" }, { cycles: 2 });
    expect(textOf(blockById(acknowledged, ALARM_BLOCK.status))).toBe(
      "Still open: 2 cycles, since Tue 1 Dec, 10:00 (Europe/London) · 👀 Acknowledged by <@U0OWNER>",
    );
    expect(textOf(blockById(blocksOf({ status: "open" }), ALARM_BLOCK.status))).not.toContain("Still open");
    const resolved = blocksOf({ status: "resolved", resolvedLabel: "Wed 16 Dec" }, { cycles: 3 });
    expect(textOf(blockById(resolved, ALARM_BLOCK.status))).toContain("resolved Wed 16 Dec · open 3 cycles");
  });

  it("leaves out who acknowledged or snoozed when that was never recorded", () => {
    const blocks = blocksOf({ status: "snoozed", by: null, backLabel: "Tue 15 Dec" });
    expect(textOf(blockById(blocks, ALARM_BLOCK.status))).toContain(
      "😴 Snoozed one cycle; if it still holds it comes back from Tue 15 Dec",
    );
  });

  it("points an older duplicate at the condition's one message, with no buttons", () => {
    const msg = buildAlarmMessage(view(), { status: "merged" });
    expect(buttons(msg.blocks as unknown as Block[])).toEqual([]);
    expect(textOf(blockById(msg.blocks, ALARM_BLOCK.head))).toContain("one message per open condition");
    expect(validateBlocks(msg.blocks, "message")).toEqual([]);
  });

  it("carries the alarm id on both buttons", () => {
    const values = blocksOf({ status: "open" })
      .find((b) => b.block_id === ALARM_BLOCK.actions)
      ?.elements?.map((e) => e.value);
    expect(values).toEqual(["alarm1", "alarm1"]);
  });

  it("shows the title, the evidence and the one small move while open", () => {
    const msg = buildAlarmMessage(view(), { status: "open" });
    expect(msg.text.text).toBe("🚨 Thrash alarm: Nobody can say stop — First-run nudge");
    expect(textOf(blockById(msg.blocks, ALARM_BLOCK.evidence))).toContain(
      "Stop owner <@U0GONE> is deactivated",
    );
    expect(textOf(blockById(msg.blocks, ALARM_BLOCK.suggestion))).toContain(
      "*One small move:* Name one person who can say stop",
    );
  });

  it.each<[AlarmKind, string]>(
    ALARM_KINDS.map((k) => [
      k,
      ALARM_KIND_INFO[k].family === "thrash" ? "🚨 Thrash alarm" : "🧪 Pilot purgatory",
    ]),
  )("heads a %s alarm with its family", (kind, head) => {
    expect(
      buildAlarmMessage(view({ kind }), { status: "open" }).text.text.startsWith(
        `${head}: ${ALARM_KIND_INFO[kind].title}`,
      ),
    ).toBe(true);
  });

  it("leaves the subject out of team-wide alarms", () => {
    const msg = buildAlarmMessage(view({ kind: "no_deviations", subjectKey: "team", subjectLabel: "Team" }), {
      status: "open",
    });
    expect(msg.text.text).toBe("🚨 Thrash alarm: Two cycles without a deviation");
  });

  it("escapes people's text but keeps the rules' own mentions", () => {
    const blocks = blocksOf(
      { status: "open" },
      {
        subjectLabel: "<!channel> nudge",
        evidence: "Statement “<!here> & more” has no cause; owner <@U0OWNER>.",
      },
    );
    const shown = visibleText(blocks);
    expect(shown).not.toContain("<!channel>");
    expect(shown).not.toContain("<!here>");
    expect(textOf(blockById(blocks, ALARM_BLOCK.head))).toContain("&lt;!channel&gt; nudge");
    const evidence = textOf(blockById(blocks, ALARM_BLOCK.evidence));
    expect(evidence).toContain("&lt;!here&gt; &amp; more");
    expect(evidence).toContain("<@U0OWNER>");
  });
});

describe("/ratchet alarms list", () => {
  it("has an empty state", () => {
    const msg = buildAlarmList({ teamName: "Checkout squad", alarms: [] });
    expect(textOf(findBlock(msg.blocks, { type: "section" }))).toContain(
      "No thrash alarms — Checkout squad is clear.",
    );
  });

  it("lists each alarm with its subject, evidence and status", () => {
    const msg = buildAlarmList({
      teamName: "Checkout squad",
      alarms: [
        {
          kind: "no_deviations",
          subjectKey: "team",
          subjectLabel: "Team",
          evidence: "No deviations in cycles 3 and 4.",
          status: "open",
          cycles: 1,
        },
        {
          kind: "stale_pilot",
          subjectKey: "m1",
          subjectLabel: "First-run nudge",
          evidence: "No decision.",
          status: "acknowledged",
          cycles: 3,
        },
      ],
    });
    expect(msg.text.text).toBe("Checkout squad: 2 alarms");
    // Under the count, one section per alarm: its head, then its evidence.
    const [, first, second] = blocksOfType(msg.blocks, "section").map(textOf);
    expect(first).toBe("🚨 *Two cycles without a deviation*\nNo deviations in cycles 3 and 4.");
    expect(second).toContain(
      "🧪 *Pilot past a cycle without a decision* · First-run nudge · open 3 cycles · 👀 acknowledged",
    );
    expect(validateBlocks(msg.blocks, "message")).toEqual([]);
  });

  it("stays within Slack's block limit however many alarms are open", () => {
    const alarms = Array.from({ length: 60 }, (_, i) => ({
      kind: "no_because" as const,
      subjectKey: `m${i}`,
      subjectLabel: `Mechanism ${i}`,
      evidence: "x".repeat(300),
      status: "open" as const,
      cycles: 1,
    }));
    const msg = buildAlarmList({ teamName: "Checkout squad", alarms });
    expect(validateBlocks(msg.blocks, "message")).toEqual([]);
    expect(textOf(findBlock(msg.blocks.slice(-1), { type: "context" }))).toBe("…and 40 more.");
  });
});
