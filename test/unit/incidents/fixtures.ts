import type {
  ActionItem,
  ContributingFactor,
  Finding,
  IncidentRecord,
} from "../../../src/incidents/types.js";

/**
 * A hand-checked history of eight incidents over 120 days, for the loop-metrics and similarity tests
 * and for end-to-end tests that need a realistic COE history. The expected numbers are worked out in
 * test/unit/incidents/metrics.test.ts; change a date here and those comments must change too.
 *
 * FIXTURE_NOW is 2024-06-30 12:00 UTC; the default 90-day window starts 2024-04-01 12:00 UTC (exclusive).
 */
export const FIXTURE_NOW = new Date("2024-06-30T12:00:00Z");

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** `days` before FIXTURE_NOW, plus `hours`. */
export const daysAgo = (days: number, hours = 0): Date =>
  new Date(FIXTURE_NOW.getTime() - days * DAY + hours * HOUR);
const hoursAfter = (date: Date, hours: number): Date => new Date(date.getTime() + hours * HOUR);

/** A complete, empty-analysis incident; tests override what they care about. */
export function makeIncident(overrides: Partial<IncidentRecord> & { id: string }): IncidentRecord {
  const startedAt = overrides.startedAt ?? daysAgo(10);
  return {
    title: `Incident ${overrides.id}`,
    severity: "sev3",
    impact: "",
    description: "",
    startedAt,
    detectedAt: startedAt,
    mitigatedAt: null,
    resolvedAt: null,
    howNoticed: "",
    howMitigated: "",
    learned: "",
    sourceLink: null,
    status: "open",
    completedAt: null,
    createdAt: startedAt,
    reporterTz: "UTC",
    coeDepth: "full",
    timeline: [],
    whys: [],
    factors: [],
    findings: [],
    tags: [],
    ...overrides,
  };
}

export const factor = (
  id: string,
  category: ContributingFactor["category"],
  text: string,
): ContributingFactor => ({
  id,
  category,
  text,
});

export const action = (overrides: Partial<ActionItem> & { id: string }): ActionItem => ({
  ownerId: "U0OWNER",
  dueDate: "2024-07-15",
  kind: "prevent",
  ticketUrl: null,
  status: "open",
  closedAt: null,
  ...overrides,
});

export const finding = (
  id: string,
  text: string,
  actionItem: ActionItem | null,
  notedReason: string | null = null,
): Finding => ({
  id,
  text,
  actionItem,
  notedReason,
});

/**
 * Incident timing, as (startedAt, resolvedAt, completedAt, last action closedAt) relative to FIXTURE_NOW:
 *
 * | id | created  | in window | tags                     | resolved→completed | completed→last closed      |
 * |----|----------|-----------|--------------------------|--------------------|----------------------------|
 * | i1 | day −120 | no        | config, db               | 100 h              | 30 d (all done)            |
 * | i2 | day −95  | no        | auth, certificates       | 50 h               | 10 d (all done)            |
 * | i3 | day −80  | yes       | search, indexing         | 24 h               | 240 h (done + not_doing)   |
 * | i4 | day −60  | yes       | config, db               | 48 h               | 120 h (all done)           |
 * | i5 | day −45  | yes       | queues                   | 12 h               | one item still open        |
 * | i6 | day −30  | yes       | auth, certificates       | 72 h               | closed before completion→0 |
 * | i7 | day −14  | yes       | config, feature-flags    | resolved, not done | —                          |
 * | i8 | day −3   | yes       | scheduler                | not resolved       | —                          |
 */
const i1Start = daysAgo(120);
const i1Resolved = hoursAfter(i1Start, 3);
const i1Completed = hoursAfter(i1Resolved, 100);
export const i1 = makeIncident({
  id: "i1",
  title: "Checkout timeouts: database connection pool exhausted",
  severity: "sev2",
  impact: "Checkout failed for 3% of users for 8 minutes",
  description: "Connection pool ran out during the spring sale; requests queued until they timed out.",
  startedAt: i1Start,
  detectedAt: hoursAfter(i1Start, 0.25),
  mitigatedAt: hoursAfter(i1Start, 1),
  resolvedAt: i1Resolved,
  status: "complete",
  completedAt: i1Completed,
  createdAt: i1Start,
  reporterTz: "Europe/Berlin",
  whys: [{ id: "w1", parentId: null, text: "The pool hit its limit", rootCause: false, createdAt: i1Start }],
  factors: [
    factor("f1a", "technical", "connection pool limit outdated"),
    factor("f1b", "process", "pool configuration not revisited per release"),
  ],
  findings: [
    finding(
      "n1",
      "Pool size is static infrastructure-as-code",
      action({ id: "a1", status: "done", closedAt: hoursAfter(i1Completed, 30 * 24) }),
    ),
  ],
  tags: ["config", "db"],
});

const i2Start = daysAgo(95);
const i2Resolved = hoursAfter(i2Start, 2);
const i2Completed = hoursAfter(i2Resolved, 50);
const i2 = makeIncident({
  id: "i2",
  title: "Login failures after the identity provider certificate expired",
  severity: "sev1",
  impact: "Nobody could sign in for 40 minutes",
  description: "The SAML signing certificate expired overnight and sign-ins were rejected.",
  startedAt: i2Start,
  resolvedAt: i2Resolved,
  status: "complete",
  completedAt: i2Completed,
  createdAt: i2Start,
  factors: [factor("f2a", "technical", "certificate renewal is manual")],
  findings: [
    finding(
      "n2",
      "Nobody is alerted before expiry",
      action({ id: "a2", status: "done", closedAt: hoursAfter(i2Completed, 10 * 24) }),
    ),
  ],
  tags: ["auth", "certificates"],
});

const i3Start = daysAgo(80);
const i3Resolved = hoursAfter(i3Start, 2);
const i3Completed = hoursAfter(i3Resolved, 24);
const i3 = makeIncident({
  id: "i3",
  title: "Search latency spike from a missing index",
  impact: "Product search took 9 seconds for an afternoon",
  description: "A migration dropped the index on the products table.",
  startedAt: i3Start,
  resolvedAt: i3Resolved,
  status: "complete",
  completedAt: i3Completed,
  createdAt: i3Start,
  factors: [
    factor("f3a", "technical", "missing index on products table"),
    factor("f3b", "process", "migration checklist has no index step"),
  ],
  findings: [
    finding(
      "n3a",
      "Migrations can drop indexes silently",
      action({ id: "a3a", status: "done", closedAt: hoursAfter(i3Completed, 240) }),
    ),
    finding(
      "n3b",
      "Slow-query alerting is absent",
      action({ id: "a3b", status: "not_doing", closedAt: hoursAfter(i3Completed, 48) }),
    ),
  ],
  tags: ["search", "indexing"],
});

const i4Start = daysAgo(60);
const i4Resolved = hoursAfter(i4Start, 1);
const i4Completed = hoursAfter(i4Resolved, 48);
export const i4 = makeIncident({
  id: "i4",
  title: "Checkout errors after a pool size config rollout",
  severity: "sev2",
  impact: "Checkout errors for 5% of users for 20 minutes",
  description: "A config rollout halved the database pool size; connections ran out at peak.",
  startedAt: i4Start,
  resolvedAt: i4Resolved,
  status: "complete",
  completedAt: i4Completed,
  createdAt: i4Start,
  factors: [
    factor("f4a", "technical", "pool size static"),
    factor("f4b", "process", "config changes skip load test"),
    factor("f4c", "organisational", "database team is a bottleneck"),
  ],
  findings: [
    finding(
      "n4a",
      "Config rollout has no canary",
      action({ id: "a4a", status: "done", closedAt: hoursAfter(i4Completed, 72) }),
    ),
    finding(
      "n4b",
      "Pool size is not derived from load",
      action({ id: "a4b", status: "done", closedAt: hoursAfter(i4Completed, 120) }),
    ),
  ],
  tags: ["config", "db"],
});

const i5Start = daysAgo(45);
const i5Resolved = hoursAfter(i5Start, 4);
const i5Completed = hoursAfter(i5Resolved, 12);
export const i5 = makeIncident({
  id: "i5",
  title: "Payment webhook backlog from a crashed queue consumer",
  impact: "Receipts arrived hours late",
  description: "The consumer crashed on a malformed payload and nothing restarted it.",
  startedAt: i5Start,
  resolvedAt: i5Resolved,
  status: "complete",
  completedAt: i5Completed,
  createdAt: i5Start,
  factors: [factor("f5a", "technical", "consumer crashes on malformed payload")],
  findings: [
    finding(
      "n5a",
      "Poison messages stop the consumer",
      action({ id: "a5a", status: "done", closedAt: hoursAfter(i5Completed, 5) }),
    ),
    finding("n5b", "No dead-letter queue", action({ id: "a5b", status: "open", dueDate: "2024-06-01" })),
  ],
  tags: ["queues"],
});

const i6Start = daysAgo(30);
const i6Resolved = hoursAfter(i6Start, 1);
const i6Completed = hoursAfter(i6Resolved, 72);
const i6 = makeIncident({
  id: "i6",
  title: "Login outage: expired TLS certificate on the auth gateway",
  severity: "sev1",
  impact: "Sign-in unavailable for 25 minutes",
  description: "The gateway certificate was renewed by hand last year and nobody renewed it again.",
  startedAt: i6Start,
  resolvedAt: i6Resolved,
  status: "complete",
  completedAt: i6Completed,
  createdAt: i6Start,
  factors: [
    factor("f6a", "technical", "gateway certificate renewal by hand"),
    factor("f6b", "organisational", "no owner for gateway certificates"),
  ],
  findings: [
    // Fixed during the write-up, so remediation was over before the COE was completed.
    finding(
      "n6",
      "Certificates have no automated renewal",
      action({ id: "a6", status: "done", closedAt: hoursAfter(i6Completed, -10) }),
    ),
  ],
  tags: ["auth", "certificates"],
});

const i7Start = daysAgo(14);
const i7 = makeIncident({
  id: "i7",
  title: "Feature flag config pushed to production without review",
  impact: "New checkout page shown to everyone for 2 hours",
  description: "A flag meant for staff was enabled for all traffic.",
  startedAt: i7Start,
  resolvedAt: hoursAfter(i7Start, 2),
  status: "open",
  createdAt: i7Start,
  factors: [factor("f7a", "process", "flag changes bypass review")],
  findings: [
    finding("n7", "Flags have no approval step", action({ id: "a7", ownerId: null, dueDate: null })),
  ],
  tags: ["config", "feature-flags"],
});

const i8Start = daysAgo(3);
const i8 = makeIncident({
  id: "i8",
  title: "Nightly report job ran twice",
  impact: "Finance received duplicate emails",
  description: "Two scheduler replicas both claimed the run.",
  startedAt: i8Start,
  createdAt: i8Start,
  tags: ["scheduler"],
});

export const fixtureIncidents: IncidentRecord[] = [i1, i2, i3, i4, i5, i6, i7, i8];
