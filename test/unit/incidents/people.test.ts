import { describe, expect, it } from "vitest";
import { namesOf, peopleIn, userIdOf } from "../../../src/incidents/people.js";
import { action, finding, makeIncident } from "./fixtures.js";

describe("userIdOf", () => {
  it("reads an owner however it was typed or pasted", () => {
    for (const ref of ["U0ALICE", " @U0ALICE ", "<@U0ALICE>", "<@U0ALICE|alice>"]) {
      expect(userIdOf(ref)).toBe("U0ALICE");
    }
  });
});

describe("peopleIn", () => {
  it("names action-item owners and everyone mentioned in any text, once each", () => {
    const incident = makeIncident({
      id: "i1",
      description: "Paged <@U0BOB> and <@U0CAROL|carol>",
      timeline: [{ id: "t1", at: new Date(0), text: "<@U0BOB> raised the limit" }],
      findings: [
        finding("f1", "Ask <@W0DAN>", action({ id: "a1", ownerId: "<@U0ALICE>" })),
        finding("f2", "No owner yet", action({ id: "a2", ownerId: null })),
        finding("f3", "Noted", null),
      ],
    });
    expect(peopleIn(incident).sort()).toEqual(["U0ALICE", "U0BOB", "U0CAROL", "W0DAN"]);
  });

  it("is empty for an incident that names nobody; a channel or @here is not a person", () => {
    expect(peopleIn(makeIncident({ id: "i2", description: "<!here> see <#C0INC> and <@nobody>" }))).toEqual(
      [],
    );
  });
});

describe("namesOf", () => {
  const people: Record<string, string> = { U0ALICE: "Alice Smith", U0BOB: "  Bob Builder " };

  it("looks each person up once and keeps the names it finds", async () => {
    const asked: string[] = [];
    const names = await namesOf(
      ["U0ALICE", "U0BOB", "U0ALICE"],
      async (id) => {
        asked.push(id);
        return people[id] ? { name: people[id] } : null;
      },
      () => {
        throw new Error("nothing failed");
      },
    );
    expect(names).toEqual({ U0ALICE: "Alice Smith", U0BOB: "Bob Builder" });
    expect(asked).toEqual(["U0ALICE", "U0BOB"]);
  });

  it("leaves out whoever the lookup doesn't know, fails on, or only knows by id, and reports failures once", async () => {
    const reported: { ids: string[]; err: unknown }[] = [];
    const names = await namesOf(
      ["U0ALICE", "U0GONE", "U0SLOW", "U0BARE", "U0LATE"],
      async (id) => {
        if (id === "U0SLOW" || id === "U0LATE") throw new Error(`ratelimited ${id}`);
        if (id === "U0BARE") return { name: "U0BARE" };
        return people[id] ? { name: people[id] } : null;
      },
      (ids, err) => reported.push({ ids, err }),
    );
    expect(names).toEqual({ U0ALICE: "Alice Smith" });
    expect(reported).toHaveLength(1);
    expect(reported[0]?.ids).toEqual(["U0SLOW", "U0LATE"]);
    expect(String(reported[0]?.err)).toContain("ratelimited U0SLOW");
  });

  it("asks about at most 50 people for one document", async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `U${String(i).padStart(4, "0")}`);
    let asked = 0;
    const names = await namesOf(
      ids,
      async (id) => {
        asked++;
        return { name: `Person ${id}` };
      },
      () => {},
    );
    expect(asked).toBe(50);
    expect(Object.keys(names)).toHaveLength(50);
  });
});
