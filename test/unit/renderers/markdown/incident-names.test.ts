import { describe, expect, it } from "vitest";
import { incidentMarkdown } from "../../../../src/renderers/markdown/incident.js";
import { action, finding, makeIncident } from "../../incidents/fixtures.js";

const now = new Date("2024-06-30T12:00:00Z");
const incident = makeIncident({
  id: "coe-names",
  description: "Paged <@U0BOB> at 07:50; <@U0BOB|bob> raised the limit.",
  timeline: [{ id: "t1", at: new Date("2024-06-20T10:00:00Z"), text: "<@U0EVE> rolled back" }],
  findings: [
    finding(
      "n1",
      "Pool size is set by hand",
      action({ id: "a1", ownerId: "<@U0ALICE>", dueDate: "2024-07-15" }),
    ),
    finding(
      "n2",
      "Nobody watches the canary",
      action({ id: "a2", ownerId: "U0GONE", dueDate: "2024-07-15" }),
    ),
  ],
});

describe("incidentMarkdown: people by name", () => {
  it("shows owners and mentioned people by the names it is given, and unknown ones as @id", () => {
    const md = incidentMarkdown(incident, {
      now,
      names: { U0ALICE: "Alice Smith", U0BOB: "Bob Builder", U0EVE: "Eve | Ops *lead*" },
    });
    expect(md).toContain("Action item: owner Alice Smith · due 2024-07-15");
    expect(md).toContain("Paged Bob Builder at 07:50; Bob Builder raised the limit.");
    // A name keeps a table row whole and can't make Markdown of itself.
    expect(md).toContain("| Eve \\| Ops \\*lead\\* rolled back |");
    expect(md).toContain("Action item: owner @U0GONE · due 2024-07-15");
    expect(md).not.toMatch(/<@/);
  });

  it("without names, every person is an @id: nothing reads as a Slack mention", () => {
    const md = incidentMarkdown(incident, { now });
    expect(md).toContain("owner @U0ALICE · due");
    expect(md).toContain("Paged @U0BOB at 07:50; @U0BOB raised the limit.");
    expect(md).toContain("| @U0EVE rolled back |");
    expect(md).not.toMatch(/<@/);
  });
});
