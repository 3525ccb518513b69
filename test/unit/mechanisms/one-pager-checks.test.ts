import { describe, expect, it } from "vitest";
import type { MechanismDraft, MechanismForDone } from "../../../src/mechanisms/one-pager-checks.js";
import {
  checkMechanismDraft,
  DOD_ITEM,
  definitionOfDone,
  FIELD,
  hasBecause,
  MECHANISM_NOT_TASK,
  missingItems,
  signalField,
} from "../../../src/mechanisms/one-pager-checks.js";
import { FILLERS } from "../../support/fillers.js";

const TODAY = "2025-07-01";

function draft(overrides: Partial<MechanismDraft> = {}): MechanismDraft {
  return {
    title: "Unmissable Action X",
    aim: "Increase activation from 27% to 35%",
    aimForWhom: "Segment S",
    aimFrom: 27,
    aimTo: 35,
    aimBy: "2025-07-15",
    statement:
      "We believe making Action X unmissable will move activation because it removes confusion at Step N",
    signals: {
      proxy: [{ name: "% doing Action X in 24h", baseline: 40, target: 80, unit: "%" }],
      outcome: [{ name: "14-day activation", baseline: 27, target: 35, unit: "%" }],
    },
    checkpointRule: "continue if proxy >= 80 and outcome change >= 3",
    guardrail: "Checkout error rate < 0.5%",
    stopOwnerId: "U_STOP",
    rollbackPath: "Turn off flag action-x-banner",
    ownerId: "U_OWNER",
    cadenceWeeks: 1,
    ...overrides,
  };
}

const check = (overrides: Partial<MechanismDraft>) => checkMechanismDraft(draft(overrides), TODAY);

describe("hasBecause", () => {
  it.each([
    ["We believe the banner will move activation because it removes confusion", true],
    ["BECAUSE users get lost at step 3", true],
    ["Send more lifecycle emails", false],
    ["Refactor X because", false],
    ["Refactor X because.", false],
    ["Users stay becausethey like it", false],
    ["We believe X will move Y because TBD.", false],
    ["We believe X will move Y because Z", false],
    ["We believe X will move Y because ...", false],
  ])("reads %j as naming a cause: %s", (statement, expected) => {
    expect(hasBecause(statement)).toBe(expected);
  });
});

describe("checkMechanismDraft", () => {
  it("passes a one-pager that meets the quality bar", () => {
    expect(checkMechanismDraft(draft(), TODAY)).toEqual({});
  });

  it("asks for the cause when the mechanism is a task", () => {
    expect(check({ statement: "Send two more lifecycle emails" })).toEqual({
      [FIELD.statement]: MECHANISM_NOT_TASK,
    });
    expect(check({ statement: "Send more emails because" })[FIELD.statement]).toBe(MECHANISM_NOT_TASK);
  });

  it("asks for both ends of the aim's change", () => {
    const errors = check({ aimFrom: null, aimTo: Number.NaN });
    expect(errors[FIELD.aimFrom]).toContain("Where is it now?");
    expect(errors[FIELD.aimTo]).toContain("Where should it get to?");
  });

  it("rejects an aim that does not change anything", () => {
    expect(check({ aimFrom: 27, aimTo: 27 })).toEqual({ [FIELD.aimTo]: expect.stringContaining("the same") });
  });

  it.each([
    [null, "Pick the date"],
    ["next month", "Use a date like"],
    ["2025-02-30", "Use a date like"],
    [TODAY, "after today"],
    ["2025-06-30", "after today"],
  ])("asks for a horizon after today when the by-date is %j", (aimBy, phrase) => {
    expect(check({ aimBy })[FIELD.aimBy]).toContain(phrase);
  });

  it("accepts a horizon of tomorrow", () => {
    expect(check({ aimBy: "2025-07-02" })).toEqual({});
  });

  it("requires a proxy and an outcome signal", () => {
    const errors = check({ signals: {}, checkpointRule: "continue if leading hits target" });
    expect(Object.keys(errors).sort()).toEqual(
      [
        FIELD.proxyName,
        FIELD.proxyBaseline,
        FIELD.proxyTarget,
        FIELD.outcomeName,
        FIELD.outcomeBaseline,
        FIELD.outcomeTarget,
        FIELD.checkpointRule,
      ].sort(),
    );
  });

  it("flags each part of a half-filled signal on its own field", () => {
    const errors = check({
      signals: {
        proxy: [{ name: "  ", baseline: 40, target: null, unit: "%" }],
        outcome: [{ name: "14-day activation", baseline: 27, target: 27, unit: "%" }],
      },
    });
    expect(errors).toEqual({
      [FIELD.proxyName]: expect.stringContaining("Name the proxy"),
      [FIELD.proxyTarget]: expect.stringContaining("Enter the proxy's target"),
      [FIELD.outcomeTarget]: expect.stringContaining("equals its baseline"),
    });
  });

  it("ignores an untouched leading signal but checks one that was started", () => {
    const untouched = draft().signals;
    expect(
      check({ signals: { ...untouched, leading: [{ name: "", baseline: null, target: null, unit: "ms" }] } }),
    ).toEqual({});
    const started = check({
      signals: {
        ...untouched,
        leading: [{ name: "time to first action", baseline: 200, target: null, unit: "ms" }],
      },
    });
    expect(started).toEqual({ [FIELD.leadingTarget]: expect.stringContaining("leading's target") });
  });

  it("asks who can say stop when the guardrail trips", () => {
    expect(check({ stopOwnerId: null })).toEqual({ [FIELD.stopOwner]: expect.stringContaining("say stop") });
    expect(check({ stopOwnerId: "" })).toHaveProperty(FIELD.stopOwner);
  });

  it("shows the parser's error when the checkpoint rule does not parse", () => {
    expect(check({ checkpointRule: "Continue if proxy >= 80, outcome >= 3" })).toEqual({
      [FIELD.checkpointRule]: expect.stringContaining("instead of a comma"),
    });
  });

  it("says which signals a rule can name when it names none of them", () => {
    expect(check({ checkpointRule: "Continue if discovery ≥80% AND conversion +3 pts" })).toEqual({
      [FIELD.checkpointRule]: expect.stringContaining("“discovery” isn't one of this mechanism's signals"),
    });
  });

  const sre = {
    proxy: [{ name: "cache hit rate", baseline: 10, target: 60, unit: "%" }],
    outcome: [
      { name: "p95", baseline: 450, target: 250, unit: "ms" },
      { name: "timeouts", baseline: 1.8, target: 0.6, unit: "%" },
    ],
  };

  it("accepts several signals in a role and a rule that names them (the SRE scene)", () => {
    expect(check({ signals: sre, checkpointRule: "Continue if p95 −25% AND timeouts −50%" })).toEqual({});
  });

  it("asks for a name when a rule's role has several signals", () => {
    expect(check({ signals: sre, checkpointRule: "outcome change <= -25%" })).toEqual({
      [FIELD.checkpointRule]: expect.stringContaining("There are 2 outcome signals: name the one you mean"),
    });
  });

  it("refuses two signals with one name, case aside, on the later one's name", () => {
    const twice = {
      ...sre,
      outcome: [
        { name: "p95", baseline: 450, target: 250, unit: "ms" },
        { name: " P95 ", baseline: 1.8, target: 0.6, unit: "%" },
      ],
    };
    expect(check({ signals: twice, checkpointRule: "cache hit rate >= 40" })).toEqual({
      [signalField("outcome", "name", 1)]: "Another signal is already called “P95”: give each its own name.",
    });
  });

  it("checks a further slot only once it is started, on that slot's fields", () => {
    const extra = {
      ...sre,
      proxy: [sre.proxy[0], undefined, { name: "queue depth", baseline: 5, target: null, unit: "" }],
    };
    expect(check({ signals: extra, checkpointRule: "p95 <= 300" })).toEqual({
      [signalField("proxy", "target", 2)]: expect.stringContaining("proxy's target"),
    });
  });

  it("rejects a rule that mentions a signal the one-pager does not have", () => {
    expect(check({ checkpointRule: "proxy >= 80 and leading reaches target" })).toEqual({
      [FIELD.checkpointRule]:
        "The rule mentions leading, but there is no leading signal: add it or change the rule.",
    });
  });

  it("accepts a rule about the leading signal once it is filled in", () => {
    const signals = {
      ...draft().signals,
      leading: [{ name: "median time to first action", baseline: 200, target: 150, unit: "ms" }],
    };
    expect(check({ signals, checkpointRule: "proxy >= 80 and leading reaches target" })).toEqual({});
  });

  it("keys signal fields as kind.part", () => {
    expect(signalField("outcome", "baseline")).toBe("outcome.baseline");
    expect(FIELD.leadingName).toBe(signalField("leading", "name"));
    expect(signalField("outcome", "name", 2)).toBe("outcome.2.name");
  });

  it("keeps every message short enough for an inline modal error", () => {
    const errors = checkMechanismDraft(
      {
        ...draft(),
        aimFrom: null,
        aimTo: null,
        aimBy: null,
        statement: "",
        signals: { leading: [{ name: "", baseline: 1, target: 1, unit: "" }] },
        checkpointRule: "",
        stopOwnerId: null,
      },
      TODAY,
    );
    expect(Object.keys(errors).length).toBeGreaterThanOrEqual(10);
    for (const message of Object.values(errors)) expect(message.length).toBeLessThanOrEqual(150);
  });
});

describe("definitionOfDone", () => {
  function mechanism(overrides: Partial<MechanismForDone> = {}): MechanismForDone {
    return {
      aim: "Increase activation from 27% to 35% for Segment S",
      statement: "We believe X will move activation because it removes confusion",
      signals: [
        { kind: "proxy", name: "% doing Action X in 24h", baseline: 40, target: 80, unit: "%" },
        { kind: "outcome", name: "14-day activation", baseline: 27, target: 35, unit: "%" },
      ],
      checkpointRule: "continue if proxy >= 80 and outcome change >= 3",
      guardrail: "Checkout error rate < 0.5%",
      stopOwnerId: "U_STOP",
      rollbackPath: "Turn off the flag",
      ownerId: "U_OWNER",
      nextReviewAt: new Date("2025-07-08T09:00:00Z"),
      decisionCount: 0,
      ...overrides,
    };
  }
  const doneOf = (overrides: Partial<MechanismForDone>, item: string) =>
    definitionOfDone(mechanism(overrides)).find((d) => d.item === item)?.done;

  it("lists the playbook's five items in order, all done for a complete one-pager", () => {
    expect(definitionOfDone(mechanism())).toEqual([
      { item: DOD_ITEM.behaviour, done: true },
      { item: DOD_ITEM.guardrail, done: true },
      { item: DOD_ITEM.rollback, done: true },
      { item: DOD_ITEM.review, done: true },
      { item: DOD_ITEM.decisionLog, done: true },
    ]);
    expect(missingItems(mechanism())).toEqual([]);
  });

  it("leaves the user behaviour open without an aim or an outcome signal", () => {
    expect(doneOf({ aim: " " }, DOD_ITEM.behaviour)).toBe(false);
    expect(
      doneOf({ signals: mechanism().signals.filter((s) => s.kind !== "outcome") }, DOD_ITEM.behaviour),
    ).toBe(false);
  });

  it("leaves the guardrail open until someone can say stop", () => {
    expect(doneOf({ guardrail: "" }, DOD_ITEM.guardrail)).toBe(false);
    expect(doneOf({ stopOwnerId: null }, DOD_ITEM.guardrail)).toBe(false);
  });

  it("leaves the rollback open until a kill path is written", () => {
    expect(missingItems(mechanism({ rollbackPath: "" }))).toEqual([DOD_ITEM.rollback]);
  });

  it.each(FILLERS)("counts %j as not written in every item, as the alarms do", (filler) => {
    expect(missingItems(mechanism({ rollbackPath: filler }))).toEqual([DOD_ITEM.rollback]);
    expect(doneOf({ guardrail: filler }, DOD_ITEM.guardrail)).toBe(false);
    expect(doneOf({ aim: filler }, DOD_ITEM.behaviour)).toBe(false);
  });

  it("leaves the review open without an owner or a date", () => {
    expect(doneOf({ ownerId: null }, DOD_ITEM.review)).toBe(false);
    expect(doneOf({ nextReviewAt: null }, DOD_ITEM.review)).toBe(false);
  });

  it("counts the decision log as stubbed before any decision is logged, but not without its parts", () => {
    expect(doneOf({ decisionCount: 0 }, DOD_ITEM.decisionLog)).toBe(true);
    expect(doneOf({ statement: "Send more emails" }, DOD_ITEM.decisionLog)).toBe(false);
    expect(doneOf({ checkpointRule: "continue if things improve" }, DOD_ITEM.decisionLog)).toBe(false);
    expect(
      doneOf({ signals: mechanism().signals.filter((s) => s.kind !== "proxy") }, DOD_ITEM.decisionLog),
    ).toBe(false);
  });
});
