import { describe, expect, it } from "vitest";
import type { Decision, Mechanism } from "../../../src/mechanisms/mechanism.js";
import { validateBlocks, validateView } from "../../../src/sandbox/block-kit-limits.js";
import { buildMechanismModal } from "../../../src/slack/blocks/mechanism-modal.js";
import { buildHelp, buildHistory, buildMechanismList } from "../../../src/slack/blocks/messages.js";
import { md } from "../../../src/slack/blocks/mrkdwn.js";
import { buildOnePager } from "../../../src/slack/blocks/one-pager.js";
import {
  buildDecisionEntry,
  buildLogDecisionModal,
  buildReviewModal,
  buildReviewReminder,
} from "../../../src/slack/blocks/review.js";
import { buildSettingsModal } from "../../../src/slack/blocks/settings-modal.js";
import { AUDIT_ACTION } from "../../../src/slack/ids.js";
import { blocksOfType, findBlock, textOf, visibleText } from "../../support/blocks.js";
import { teamFixture } from "../../support/team-fixture.js";

const long = (n: number) => "x".repeat(n);

const team = teamFixture();

/** A mechanism with every text at the longest the modal allows, to prove builders stay within Slack's limits. */
const mechanism = (over: Partial<Mechanism> = {}): Mechanism => ({
  id: "m1",
  teamId: "t1",
  title: long(80),
  aim: long(500),
  aimForWhom: long(200),
  aimFrom: 27,
  aimTo: 35,
  aimUnit: "%",
  aimBy: "2027-01-31",
  statement: `We believe <b> & co will move it because ${long(900)}`,
  checkpointRule: "continue if proxy >= 80 and outcome change >= 3",
  guardrail: long(300),
  stopOwnerId: "U2",
  rollbackPath: long(500),
  opsPath: `<!channel> ${long(480)}`,
  ownerId: "U3",
  cadenceWeeks: 1,
  status: "active",
  nextReviewAt: new Date("2026-11-24T10:00:00Z"),
  messageChannelId: "C1",
  messageTs: "1.2",
  createdBy: "U1",
  createdAt: new Date("2026-11-20T10:00:00Z"),
  stoppedAt: null,
  signals: [
    { id: "s1", kind: "proxy", name: long(120), baseline: 40, target: 80, unit: "%" },
    { id: "s2", kind: "outcome", name: long(120), baseline: 27, target: 35, unit: "%" },
    { id: "s3", kind: "leading", name: long(120), baseline: 200, target: 150, unit: "ms" },
  ],
  ...over,
});

const decision = (over: Partial<Decision> = {}): Decision => ({
  id: "d1",
  mechanismId: "m1",
  reviewId: null,
  decision: "change",
  entry: `${long(200)}\n${long(200)}\n${long(190)}`,
  whatChanged: long(600),
  whatDidnt: long(600),
  why: long(600),
  changeDetail: long(600),
  gateReason: "",
  checkpoint: "fail",
  source: "review",
  decidedBy: "U3",
  decidedAt: new Date("2026-11-24T10:10:00Z"),
  ...over,
});

describe("core Block Kit builders stay within Slack's limits", () => {
  it("the one-pager, with the longest inputs and a decision", () => {
    const msg = buildOnePager({
      mechanism: mechanism(),
      latestReadings: { proxy: { signalId: "s1", kind: "proxy", value: 85, recordedAt: new Date() } },
      lastDecision: decision(),
      missingDoD: [],
      nextReviewLabel: "Tue 24 Nov, 10:00 (Europe/London)",
    });
    expect(validateBlocks(msg.blocks, "message")).toEqual([]);
  });

  it("escapes user text so it cannot form links or mentions", () => {
    const msg = buildOnePager({
      mechanism: mechanism(),
      latestReadings: {},
      lastDecision: null,
      missingDoD: ["Rollback/kill path written"],
      nextReviewLabel: null,
    });
    expect(textOf(findBlock(msg.blocks, { type: "section", text: "*Mechanism* —" }))).toContain(
      "&lt;b&gt; &amp; co",
    );
    expect(textOf(findBlock(msg.blocks, { type: "context", text: "Definition of Done" }))).toContain(
      "still missing: Rollback/kill path written",
    );
  });

  it("drops the buttons (all but History) and the next review once a mechanism is stopped", () => {
    const msg = buildOnePager({
      mechanism: mechanism({ status: "stopped" }),
      latestReadings: {},
      lastDecision: decision({ decision: "stop" }),
      missingDoD: [],
      nextReviewLabel: "Tue 24 Nov",
    });
    expect(msg.text.text).toContain("(stopped)");
    // Its audit log stays one click away; nothing else can be done to it.
    const buttons = msg.blocks.flatMap((b) => (b.type === "actions" ? b.elements : []));
    expect(buttons.map((e) => ("action_id" in e ? e.action_id : ""))).toEqual([AUDIT_ACTION.history]);
    expect(textOf(findBlock(msg.blocks, { type: "section", text: "*Review:*" }))).toContain(
      "*Review:* 15 min every week",
    );
    expect(visibleText(msg.blocks)).not.toContain("next Tue 24 Nov");
  });

  it("the modals: settings, mechanism (new and edit), review, log", () => {
    expect(
      validateView(
        buildSettingsModal({
          team,
          channelId: "C1",
          defaultTimezone: "Europe/London",
          workspaceChannelId: null,
          start: "team",
        }),
      ),
    ).toEqual([]);
    expect(
      validateView(
        buildMechanismModal({
          meta: { teamId: "t1" },
          mechanism: null,
          defaultOwnerId: "U1",
          defaultCadence: 1,
        }),
      ),
    ).toEqual([]);
    expect(
      validateView(
        buildMechanismModal({
          meta: { teamId: "t1", mechanismId: "m1" },
          mechanism: mechanism(),
          defaultOwnerId: "U1",
          defaultCadence: 2,
        }),
      ),
    ).toEqual([]);
    const review = buildReviewModal({
      meta: { mechanismId: "m1", reviewId: "r1" },
      mechanism: mechanism(),
      latestReadings: {},
      checkpoint: { result: "fail", lines: [long(500), long(500)] },
    });
    expect(validateView(review)).toEqual([]);
    const many = Array.from({ length: 150 }, (_, i) => mechanism({ id: `m${i}`, title: `Mechanism ${i}` }));
    expect(validateView(buildLogDecisionModal({ teamId: "t1", mechanisms: many, preset: null }))).toEqual([]);
  });

  it("the reminder, decision entry, list, history and help", () => {
    const m = mechanism();
    const decisions = Array.from({ length: 30 }, (_, i) => decision({ id: `d${i}` }));
    for (const msg of [
      buildReviewReminder({ mechanism: m, reviewId: "r1", dueLabel: "Tue", late: true }),
      buildDecisionEntry({ mechanism: m, decision: decision(), checkpointLines: [long(400), long(400)] }),
      buildMechanismList({ team, mechanisms: Array.from({ length: 40 }, () => m), nextLabel: () => "Tue" }),
      buildHistory({ mechanism: m, decisions, tzLabel: () => "Tue" }),
      buildHelp(md`I don't know \`/ratchet x\`.`),
    ]) {
      expect(validateBlocks(msg.blocks, "message")).toEqual([]);
      expect(msg.text.length).toBeGreaterThan(0);
    }
  });
});

describe("/ratchet list", () => {
  it("spreads long lists over sections and says how many more there are", () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      mechanism({ id: `m${i}`, title: `Mechanism ${i} ${"x".repeat(60)}` }),
    );
    const msg = buildMechanismList({
      team: teamFixture(),
      mechanisms: many,
      nextLabel: () => "Tue 24 Nov, 10:00 (Europe/London)",
    });
    expect(validateBlocks(msg.blocks, "message")).toEqual([]);
    expect(visibleText(blocksOfType(msg.blocks, "section"))).toContain("Mechanism 44 ");
    expect(visibleText(msg.blocks)).not.toContain("Mechanism 45 ");
    expect(visibleText(blocksOfType(msg.blocks, "context"))).toContain("…and 15 more");
  });
});

describe("the one-pager: who runs it if it works", () => {
  const drawn = (opsPath: string) =>
    JSON.stringify(
      buildOnePager({
        mechanism: mechanism({ opsPath, rollbackPath: "Flag off" }),
        latestReadings: {},
        lastDecision: null,
        missingDoD: [],
        nextReviewLabel: null,
      }).blocks,
    );

  it("shows it beside the rollback path, escaped like every typed field", () => {
    const shown = drawn("Support on-call <!channel> owns it");
    expect(shown).toContain("*If it works, who runs it:* Support on-call &lt;!channel&gt; owns it");
    expect(shown).toContain("*Rollback / kill:* Flag off");
  });

  it("says when nobody is named", () => {
    expect(drawn("")).toContain("*If it works, who runs it:* _not written_");
  });
});
