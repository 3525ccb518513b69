import { describe, expect, it } from "vitest";
import { findSimilarIncidents } from "../../../../src/incidents/similarity.js";
import { incidentMarkdown } from "../../../../src/renderers/markdown/incident.js";
import { action, factor, finding, fixtureIncidents, makeIncident } from "../../incidents/fixtures.js";

const startedAt = new Date("2024-03-30T13:05:00Z"); // 14:05 in Berlin (CET, +1)
const incident = makeIncident({
  id: "coe-1",
  title: "Checkout timeouts: connection pool exhausted",
  severity: "sev2",
  impact: "Checkout failed for 3% of users | 8 minutes",
  description: "The pool ran out during the sale.",
  startedAt,
  detectedAt: new Date("2024-03-30T13:17:00Z"),
  mitigatedAt: new Date("2024-03-30T14:10:00Z"),
  // Berlin moves to summer time on 31 March: this one is shown at +2.
  resolvedAt: new Date("2024-03-31T09:00:00Z"),
  howNoticed: "Customer support tickets",
  howMitigated: "Raised the pool limit by hand",
  learned: "Static pool sizes age badly.",
  status: "complete",
  completedAt: new Date("2024-04-02T08:00:00Z"),
  reporterTz: "Europe/Berlin",
  timeline: [
    { id: "t2", at: new Date("2024-03-30T13:17:00Z"), text: "Alert fired" },
    { id: "t1", at: startedAt, text: "Error rate rises" },
  ],
  whys: [
    {
      id: "w1",
      parentId: null,
      text: "The database ran out of connections",
      rootCause: false,
      createdAt: new Date(1),
    },
    {
      id: "w2",
      parentId: "w1",
      text: "The pool limit assumed old load",
      rootCause: false,
      createdAt: new Date(2),
    },
    { id: "w3", parentId: "w1", text: "The alert fired too late", rootCause: false, createdAt: new Date(3) },
    {
      id: "w4",
      parentId: "w2",
      text: "Pool config is never reviewed per release",
      rootCause: false,
      createdAt: new Date(4),
    },
  ],
  factors: [
    factor("f1", "technical", "connection pool limit outdated"),
    factor("f2", "organisational", "no owner for capacity planning"),
    factor("f3", "technical", "alert threshold at 90%"),
  ],
  findings: [
    finding(
      "n1",
      "The canary only watched error rates",
      action({
        id: "a1",
        ownerId: "<@U123ABC>",
        dueDate: "2024-04-10",
        kind: "detect",
        ticketUrl: "https://tracker.example/OPS-1",
        status: "open",
      }),
    ),
    finding(
      "n2",
      "Pool size is static",
      action({ id: "a2", ownerId: "U999", dueDate: "2024-05-01", status: "done" }),
    ),
    finding("n3", "Nobody plans capacity", null),
  ],
  tags: ["config", "#db"],
});

const now = new Date("2024-04-20T10:00:00Z");

describe("incidentMarkdown", () => {
  const md = incidentMarkdown(incident, { now });

  it("has every section of the COE, in reading order", () => {
    const headings = md.split("\n").filter((l) => l.startsWith("#"));
    expect(headings).toEqual([
      "# COE: Checkout timeouts: connection pool exhausted",
      "## What happened",
      "## Times (Europe/Berlin)",
      "## Timeline",
      "## Why did this happen?",
      "## Contributing factors",
      "### Technical",
      "### Organisational",
      "## What we learned",
      "## Findings and action items",
      "## Tags",
    ]);
    expect(md).toContain("- **Severity:** SEV2");
    expect(md).toContain("- **Impact:** Checkout failed for 3% of users \\| 8 minutes");
    expect(md).toContain("Static pool sizes age badly.");
    expect(md).toContain("**How we noticed:** Customer support tickets");
    expect(md).toContain("**How we mitigated:** Raised the pool limit by hand");
  });

  it("shows times in the reporter's timezone, across a daylight-saving change", () => {
    expect(md).toContain("| Started | 2024-03-30 14:05 GMT+1 | +0 min |");
    expect(md).toContain("| Detected | 2024-03-30 14:17 GMT+1 | +12 min |");
    expect(md).toContain("| Mitigated | 2024-03-30 15:10 GMT+1 | +1 h 5 min |");
    expect(md).toContain("| Resolved | 2024-03-31 11:00 GMT+2 | +19 h 55 min |");
    expect(md).toContain("- **Status:** complete (2024-04-02 10:00 GMT+2)");
    expect(md).toContain("_Exported from Ratchet on 2024-04-20 12:00 GMT+2._");
  });

  it("lists the timeline in time order as a table", () => {
    const start = md.indexOf("| 2024-03-30 14:05 GMT+1 | Error rate rises |");
    const alert = md.indexOf("| 2024-03-30 14:17 GMT+1 | Alert fired |");
    expect(start).toBeGreaterThan(-1);
    expect(alert).toBeGreaterThan(start);
  });

  it("renders the branching whys as a nested list", () => {
    expect(md).toContain(
      [
        "- **Why 1** The database ran out of connections",
        "  - **Why 1.1** The pool limit assumed old load",
        "    - **Why 1.1.1** Pool config is never reviewed per release",
        "  - **Why 1.2** The alert fired too late",
      ].join("\n"),
    );
  });

  it("groups factors by category", () => {
    expect(md).toContain(
      "### Technical\n\n- connection pool limit outdated\n- alert threshold at 90%\n\n### Organisational\n\n- no owner for capacity planning",
    );
  });

  it("lists findings with their action items, owners as @ids outside Slack", () => {
    expect(md).toContain(
      "1. The canary only watched error rates\n   - Action item: owner @U123ABC · due 2024-04-10 · kind: detect · ticket: [https://tracker.example/OPS-1](https://tracker.example/OPS-1) · status: open (overdue)",
    );
    expect(md).toContain(
      "2. Pool size is static\n   - Action item: owner @U999 · due 2024-05-01 · kind: prevent · no ticket · status: done",
    );
    expect(md).toContain("3. Nobody plans capacity\n   - No action item yet");
    expect(md).not.toContain("<@");
  });

  it("lists tags with one leading #, as code so no renderer mistakes them for headings", () => {
    expect(md).toContain("## Tags\n\n`#config` `#db`\n");
  });

  it("adds similar past incidents with their reasons and action status when given", () => {
    const similar = findSimilarIncidents(incident, fixtureIncidents, { today: "2024-04-20" });
    const withSimilar = incidentMarkdown(incident, { now, similar });
    expect(withSimilar).toContain("## Similar incidents");
    expect(withSimilar).toMatch(
      /- \*\*Checkout timeouts: database connection pool exhausted\*\* \(SEV2, started 2024-03-02\): similarity \d\.\d\d; shared tags: #config, #db; .*action items: 1 of 1 done, 0 open, 0 not doing/,
    );
    expect(incidentMarkdown(incident, { now, similar: [] })).toContain("_No similar incidents found._");
  });

  it("says so instead of leaving empty sections, and falls back to UTC for an unknown zone", () => {
    const bare = incidentMarkdown(makeIncident({ id: "bare", title: "Bare", reporterTz: "Mars/Olympus" }), {
      now,
    });
    expect(bare).toContain("## Times (UTC)");
    expect(bare).toContain("| Mitigated | not yet | |");
    expect(bare.match(/_None recorded\._/g)).toHaveLength(7);
  });

  it("leaves a light COE's unasked whys and factors out, and says it is light", () => {
    const light = incidentMarkdown(
      makeIncident({ id: "light", title: "Slow search", coeDepth: "light", learned: "Warm the index" }),
      { now },
    );
    expect(light).toContain("- **Severity:** SEV3 (light COE: a summary and one lesson)");
    expect(light).not.toContain("## Why did this happen?");
    expect(light).not.toContain("## Contributing factors");
    expect(light).toContain("## What we learned");
    expect(incidentMarkdown(makeIncident({ id: "full", title: "Full" }), { now })).toContain(
      "## Why did this happen?",
    );
  });

  it("marks a why the team called a root cause, and counts findings noted with no action", () => {
    const md = incidentMarkdown(
      makeIncident({
        id: "noted",
        title: "Noted",
        whys: [{ id: "w", parentId: null, text: "Static pool", rootCause: true, createdAt: new Date(1) }],
        findings: [
          finding("n1", "Log noise", null, "Low impact | covered by alarms"),
          finding("n2", "Pool size", action({ id: "a" })),
        ],
      }),
      { now },
    );
    expect(md).toContain("- **Why 1** Static pool _(root cause)_");
    expect(md).toContain("_2 findings: 1 with action items, 1 noted with no action._");
    expect(md).toContain("   - Noted, no action: Low impact \\| covered by alarms");
  });
});
