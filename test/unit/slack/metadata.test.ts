import { describe, expect, it } from "vitest";
import type { ActionItemModalMeta } from "../../../src/slack/blocks/action-items.js";
import type { IncidentModalMeta } from "../../../src/slack/blocks/incident.js";
import { readMeta } from "../../../src/slack/parsers/metadata.js";

describe("readMeta", () => {
  it("reads what a builder wrote", () => {
    const meta = { teamId: "t1", incidentId: null, sourceLink: "https://x.slack.com/archives/C1/p1" };
    expect(readMeta<IncidentModalMeta>(JSON.stringify(meta))).toEqual(meta);
    const dm = { actionItemId: "a1", dm: { channel: "D1", ts: "1.2" } };
    expect(readMeta<ActionItemModalMeta>(JSON.stringify(dm))).toEqual(dm);
  });

  it("turns anything that is not a JSON object into {}", () => {
    for (const raw of [undefined, "", "{", "null", "[]", '"x"', "42"]) expect(readMeta(raw)).toEqual({});
  });

  it("leaves out a value of the wrong type, so no service gets a number or an object as an id", () => {
    const raw = JSON.stringify({
      teamId: 42,
      incidentId: { id: "x" },
      sourceLink: ["a"],
      dm: "D1",
      prompt: { channel: "D1" },
      roundId: "r1",
    });
    expect(readMeta(raw)).toEqual({ roundId: "r1" });
  });

  it("keeps a key no builder writes only when it is text", () => {
    expect(readMeta(JSON.stringify({ future: "x", other: 1, nested: {} }))).toEqual({ future: "x" });
    expect(Object.getPrototypeOf(readMeta('{"__proto__": {"teamId": "t"}}'))).toBe(Object.prototype);
  });
});
