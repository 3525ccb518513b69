import { describe, expect, it } from "vitest";
import type { StoredIncident } from "../../../src/incidents/incident.js";
import { checkIncidentTimes, isTicketUrl } from "../../../src/incidents/intake-rules.js";
import type { ActionStatus } from "../../../src/incidents/similarity.js";
import { validateBlocks, validateView } from "../../../src/sandbox/block-kit-limits.js";
import {
  actionStatusLine,
  buildFindingModal,
  buildIncidentMessage,
  buildIntakeModal,
  buildWhyModal,
} from "../../../src/slack/blocks/incident.js";
import { AUDIT_ACTION, INCIDENT_BLOCK as B, INCIDENT_ACTION } from "../../../src/slack/ids.js";
import { parseFindingForm, parseIntakeForm } from "../../../src/slack/parsers/incident-forms.js";
import type { StateValues } from "../../../src/slack/parsers/view-state.js";
import {
  actionIds,
  blockById,
  blocksOfType,
  findBlock,
  optionTexts,
  textOf,
  visibleText,
} from "../../support/blocks.js";
import { action, finding, makeIncident } from "./fixtures.js";

const NOW = new Date("2026-11-23T09:00:00Z");
const t = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00Z`);

describe("checkIncidentTimes", () => {
  const cases: {
    name: string;
    times: Partial<Record<"startedAt" | "detectedAt" | "mitigatedAt" | "resolvedAt", Date>>;
    errors: string[];
  }[] = [
    {
      name: "all four in order",
      times: {
        startedAt: t("07:00"),
        detectedAt: t("07:10"),
        mitigatedAt: t("07:30"),
        resolvedAt: t("08:00"),
      },
      errors: [],
    },
    {
      name: "equal times are in order",
      times: { startedAt: t("07:00"), detectedAt: t("07:00") },
      errors: [],
    },
    { name: "start and detection are required", times: {}, errors: ["startedAt", "detectedAt"] },
    {
      name: "detection before start",
      times: { startedAt: t("07:00"), detectedAt: t("06:59") },
      errors: ["detectedAt"],
    },
    {
      name: "resolution checked against detection when mitigation is blank",
      times: { startedAt: t("07:00"), detectedAt: t("07:30"), resolvedAt: t("07:20") },
      errors: ["resolvedAt"],
    },
    {
      name: "mitigation before detection",
      times: { startedAt: t("07:00"), detectedAt: t("07:30"), mitigatedAt: t("07:10") },
      errors: ["mitigatedAt"],
    },
    {
      name: "a time in the future",
      times: { startedAt: t("07:00"), detectedAt: t("07:10"), resolvedAt: t("10:00") },
      errors: ["resolvedAt"],
    },
    {
      name: "within a minute of now is not the future",
      times: { startedAt: t("07:00"), detectedAt: new Date(NOW.getTime() + 30_000) },
      errors: [],
    },
  ];
  it.each(cases)("$name", ({ times, errors }) => {
    const result = checkIncidentTimes(
      {
        startedAt: times.startedAt ?? null,
        detectedAt: times.detectedAt ?? null,
        mitigatedAt: times.mitigatedAt ?? null,
        resolvedAt: times.resolvedAt ?? null,
      },
      NOW,
    );
    expect(Object.keys(result).sort()).toEqual([...errors].sort());
  });
});

describe("checkIncidentTimes messages", () => {
  const check = (times: Partial<Record<"startedAt" | "detectedAt" | "mitigatedAt" | "resolvedAt", Date>>) =>
    checkIncidentTimes(
      {
        startedAt: times.startedAt ?? null,
        detectedAt: times.detectedAt ?? null,
        mitigatedAt: times.mitigatedAt ?? null,
        resolvedAt: times.resolvedAt ?? null,
      },
      NOW,
    );

  it("names the earliest moment a time comes before: a resolution before the start is before the start", () => {
    const errors = check({
      startedAt: t("07:00"),
      detectedAt: t("07:10"),
      mitigatedAt: t("07:30"),
      resolvedAt: t("06:00"),
    });
    expect(errors).toEqual({ resolvedAt: "The resolution can't be before the start." });
  });

  it("names the moment just before when only that one is later", () => {
    expect(check({ startedAt: t("07:00"), detectedAt: t("07:30"), mitigatedAt: t("07:10") })).toEqual({
      mitigatedAt: "The mitigation can't be before the detection.",
    });
  });
});

it.each([
  ["https://tracker.example.com/OPS-1", true],
  ["http://jira/OPS-1", true],
  ["tracker.example.com/OPS-1", false],
  ["javascript:alert(1)", false],
  ["https://has space.com", false],
])("isTicketUrl(%s) is %s", (url, ok) => {
  expect(isTicketUrl(url)).toBe(ok);
});

const text = (value: string) => ({ type: "plain_text_input", value });
const state = (o: Record<string, Record<string, unknown>>): StateValues =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { [k]: v }])) as StateValues;

describe("parseIntakeForm", () => {
  const base = {
    [B.title]: text("Checkout down"),
    [B.severity]: { type: "static_select", selected_option: { value: "sev1" } },
    [B.impact]: text("Nobody could pay"),
    [B.startedAt]: { type: "datetimepicker", selected_date_time: t("07:00").getTime() / 1000 },
    [B.detectedAt]: { type: "datetimepicker", selected_date_time: t("07:05").getTime() / 1000 },
    [B.tags]: { type: "multi_static_select", selected_options: [{ value: "db" }] },
    [B.newTags]: text("#Config Management, db,  "),
  };

  it("reads unix seconds as UTC instants and merges picked and typed tags, normalised", () => {
    const parsed = parseIntakeForm(state(base), NOW);
    expect(parsed.ok && parsed.value.startedAt.toISOString()).toBe("2026-11-23T07:00:00.000Z");
    expect(parsed.ok && parsed.value.tags).toEqual(["db", "config-management"]);
    expect(parsed.ok && parsed.value.mitigatedAt).toBeNull();
  });

  it("keys every problem by its block", () => {
    const parsed = parseIntakeForm(
      state({
        ...base,
        [B.title]: text("  "),
        [B.severity]: { type: "static_select", selected_option: null },
      }),
      NOW,
    );
    expect(parsed.ok ? [] : Object.keys(parsed.errors).sort()).toEqual([B.severity, B.title].sort());
  });
});

describe("parseFindingForm", () => {
  const owner = { type: "users_select", selected_user: "U0OWNER" };
  const due = { type: "datepicker", selected_date: "2026-12-01" };
  const cases: {
    name: string;
    values: Record<string, Record<string, unknown>>;
    errors: string[];
    hasAction?: boolean;
  }[] = [
    {
      name: "a finding alone (action item later)",
      values: { [B.findingText]: text("Pool is static") },
      errors: [],
      hasAction: false,
    },
    {
      name: "a finding with its action item",
      values: { [B.findingText]: text("Pool is static"), [B.findingOwner]: owner, [B.findingDue]: due },
      errors: [],
      hasAction: true,
    },
    {
      name: "owner without a due date",
      values: { [B.findingText]: text("x"), [B.findingOwner]: owner },
      errors: [B.findingDue],
    },
    {
      name: "due date without an owner",
      values: { [B.findingText]: text("x"), [B.findingDue]: due },
      errors: [B.findingOwner],
    },
    { name: "nothing written or picked", values: {}, errors: [B.findingText] },
    {
      name: "an existing finding needs owner and date",
      values: { [B.findingExisting]: { type: "static_select", selected_option: { value: "f1" } } },
      errors: [B.findingOwner],
    },
    {
      name: "a ticket that is not a link",
      values: { [B.findingText]: text("x"), [B.findingTicket]: text("OPS-1") },
      errors: [B.findingTicket],
    },
  ];
  it.each(cases)("$name", ({ values, errors, hasAction }) => {
    const parsed = parseFindingForm(state(values));
    expect(parsed.ok ? [] : Object.keys(parsed.errors).sort()).toEqual([...errors].sort());
    if (parsed.ok && hasAction !== undefined) expect(parsed.value.action !== null).toBe(hasAction);
  });
});

const stored = (o: Partial<StoredIncident> = {}): StoredIncident => ({
  ...makeIncident({ id: "inc1", title: "Checkout down", impact: "Nobody could pay", ...o }),
  teamId: "team1",
  reporterId: "U0TESTER",
  channelId: "C0TEAM",
  messageTs: "1.000",
  ...o,
});

describe("buildIncidentMessage", () => {
  it("stays inside Slack's limits for a huge COE", () => {
    const long = "x".repeat(2900);
    const whys = Array.from({ length: 60 }, (_, i) => ({
      id: `w${i}`,
      parentId: i === 0 ? null : `w${i - 1}`,
      text: `because ${long.slice(0, 200)}`,
      rootCause: false,
      createdAt: new Date(i * 1000),
    }));
    const msg = buildIncidentMessage({
      incident: stored({
        description: long,
        impact: long,
        whys,
        learned: long,
        findings: Array.from({ length: 40 }, (_, i) => finding(`f${i}`, long.slice(0, 300), null)),
        tags: Array.from({ length: 10 }, (_, i) => `tag${i}`),
      }),
    });
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(validateBlocks(msg.blocks, "message")).toEqual([]);
    expect(msg.text.length).toBeLessThanOrEqual(4000);
  });

  it("shows only the export and History buttons once the COE is complete", () => {
    const msg = buildIncidentMessage({ incident: stored({ status: "complete", completedAt: new Date() }) });
    expect(actionIds(blockById(msg.blocks, B.actions))).toEqual([
      INCIDENT_ACTION.export,
      AUDIT_ACTION.history,
    ]);
    expect(textOf(blockById(msg.blocks, B.actions))).toBe("Export Markdown\nHistory");
    expect(msg.blocks.flatMap(actionIds)).not.toContain(INCIDENT_ACTION.why);
    expect(msg.text.text).toMatch(/^COE complete/);
  });

  it("has empty states that say what to do next", () => {
    const { blocks } = buildIncidentMessage({ incident: stored() });
    expect(textOf(findBlock(blocks, { type: "section", text: /^\*Why did this happen\?\*/ }))).toContain(
      "No whys yet",
    );
    expect(textOf(findBlock(blocks, { type: "section", text: /^\*Findings and action items\*/ }))).toContain(
      "None yet — each finding becomes an owned, dated action item",
    );
    expect(visibleText(blocksOfType(blocks, "context"))).toContain("No tags yet");
  });

  it("escapes user text so it cannot mention or link", () => {
    const { blocks } = buildIncidentMessage({ incident: stored({ impact: "<!channel> & <@U1>" }) });
    expect(textOf(findBlock(blocks, { type: "section", text: /^\*Customer impact\*/ }))).toContain(
      "&lt;!channel&gt; &amp; &lt;@U1&gt;",
    );
    expect(visibleText(blocks)).not.toContain("<!channel>");
  });
});

describe("modals", () => {
  it("are valid Block Kit, with or without tags and whys", () => {
    const incident = stored({
      whys: [
        { id: "w1", parentId: null, text: "The pool ran out", rootCause: false, createdAt: new Date(0) },
      ],
      findings: [finding("f1", "Pool is static", null), finding("f2", "Alarm late", action({ id: "a2" }))],
    });
    for (const view of [
      buildIntakeModal({ meta: { teamId: "t", incidentId: null, sourceLink: null }, workspaceTags: [] }),
      buildIntakeModal({
        meta: { teamId: "t", incidentId: "inc1", sourceLink: "https://x.slack.com/archives/C1/p1" },
        workspaceTags: ["db"],
        incident,
      }),
      buildWhyModal({ incident }),
      buildFindingModal({ incident }),
    ]) {
      expect(validateView(view)).toEqual([]);
    }
    // Only findings still missing an action item can be completed.
    const findingModal = buildFindingModal({ incident });
    expect(optionTexts(blockById(findingModal.blocks, B.findingExisting))).toEqual(["1. Pool is static"]);
    expect(visibleText(findingModal.blocks)).not.toContain("Alarm late");
    // The new finding first, then "…or" the earlier one: never an "Or" above what it is the alternative to.
    const ids = findingModal.blocks.map((b) => b.block_id);
    expect(ids.indexOf(B.findingText)).toBeLessThan(ids.indexOf(B.findingExisting));
    // "Because of" lists every existing why as the message names it: "Why 1", not a bare "1".
    expect(optionTexts(blockById(buildWhyModal({ incident }).blocks, B.whyParent))).toContain(
      "Why 1: The pool ran out",
    );
  });
});

// [what the row specifies, status, line]
it.for<[string, ActionStatus, string]>([
  [
    "warns when no action items were recorded",
    { total: 0, done: 0, open: 0, notDoing: 0, overdue: 0 },
    "⚠️ no action items were recorded",
  ],
  [
    "ticks when every action item is done",
    { total: 2, done: 2, open: 0, notDoing: 0, overdue: 0 },
    "✅ all 2 action items done",
  ],
  [
    "counts done, open and not-doing items",
    { total: 3, done: 1, open: 1, notDoing: 1, overdue: 0 },
    "⏳ 1 of 3 done, 1 open, 1 not doing",
  ],
  [
    "flags open items past their due date as overdue",
    { total: 2, done: 0, open: 2, notDoing: 0, overdue: 1 },
    "🔥 0 of 2 done, 2 open (1 overdue)",
  ],
])("actionStatusLine %s", ([, status, line]) => {
  expect(actionStatusLine(status)).toBe(line);
});
