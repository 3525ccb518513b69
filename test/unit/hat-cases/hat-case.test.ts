import { describe, expect, it } from "vitest";
import {
  HAT_CHOICES,
  type HatCaseInput,
  hatCaseProblem,
  mechanismDraft,
  mergeItems,
} from "../../../src/hat-cases/hat-case.js";

const kpiTheater: HatCaseInput = {
  context: "Growth squad QBR: green KPI arrows, activation stuck",
  traits: ["Big goals, no guidance"],
  symptoms: ["Faux alignment", "Operational drift"],
  reinforcingLoops: ["Appearance loop", "Silence loop"],
  balancingLoops: ["Mini Prototype", "Weekly unblocker"],
};

describe("an Anthropologist Hat case", () => {
  it("offers the playbook's Appendix C lists, each short enough to be a Slack option", () => {
    expect(HAT_CHOICES.symptoms).toEqual([
      "Faux alignment",
      "Fragmented execution",
      "Operational drift",
      "No experimentation mindset",
    ]);
    for (const list of Object.values(HAT_CHOICES)) {
      expect(list.length).toBeLessThanOrEqual(10);
      for (const c of list) expect(c.length).toBeLessThanOrEqual(75);
    }
  });

  it("keeps the picked choices, then typed lines, each once whatever its case or spacing", () => {
    expect(mergeItems(["Silo loop"], "  Pilot loop \n\nsilo   LOOP\nPilot   loop\r\nHero culture")).toEqual([
      "Silo loop",
      "Pilot loop",
      "Hero culture",
    ]);
    expect(mergeItems([], "")).toEqual([]);
  });

  it("needs a symptom or a reinforcing loop: something seen for a counter-loop to break", () => {
    expect(hatCaseProblem({ symptoms: [], reinforcingLoops: [] })).toMatch(/symptom or reinforcing loop/);
    expect(hatCaseProblem({ symptoms: ["Faux alignment"], reinforcingLoops: [] })).toBeNull();
    expect(hatCaseProblem({ symptoms: [], reinforcingLoops: ["Drift loop"] })).toBeNull();
  });

  it("drafts a mechanism from a balancing loop: the loop moves the symptoms because it breaks the vicious loops", () => {
    expect(mechanismDraft(kpiTheater, 0)).toEqual({
      title: "Mini Prototype",
      aim: kpiTheater.context,
      statement:
        "We believe Mini Prototype will move less faux alignment and operational drift because it breaks the Appearance and Silence loop",
    });
    expect(mechanismDraft(kpiTheater, 1)?.title).toBe("Weekly unblocker");
  });

  it("leaves what the case doesn't say for the person to write", () => {
    const bare = { ...kpiTheater, symptoms: [], reinforcingLoops: [] };
    expect(mechanismDraft(bare, 0)?.statement).toBe("We believe Mini Prototype will move … because …");
  });

  it("has no draft for a loop the case doesn't have", () => {
    expect(mechanismDraft(kpiTheater, 2)).toBeNull();
    expect(mechanismDraft(kpiTheater, -1)).toBeNull();
    expect(mechanismDraft(kpiTheater, Number.NaN)).toBeNull();
  });
});
