import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { runExport } from "../../scripts/export.js";
import type { Db } from "../../src/db/client.js";
import { csvObjects } from "../support/csv.js";
import { eventually } from "../support/eventually.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { createTestDb, describeDb } from "../support/test-db.js";

/** Text people type that breaks naive CSV, spreadsheets or Slack: all of it must come back as typed. */
const HOSTILE = 'Comma, "quotes"\r\nnew line <!channel> & ünïcødé 🚀';
const FORMULA = '=HYPERLINK("http://evil","x")';
const DATASETS = [
  "decisions",
  "readings",
  "deviations",
  "alarms",
  "incidents",
  "findings",
  "action-items",
  "reviews",
  "audit",
];
const N = DATASETS.length;
const at = (iso: string) => new Date(iso);

/** One of everything an export carries, hostile where a person types. */
async function seed(db: Db, teamId: string) {
  const mechanism = await db.mechanism.create({
    data: {
      teamId,
      title: `Nudge ${HOSTILE}`,
      aim: "Raise activation",
      aimForWhom: "new signups",
      aimFrom: 27,
      aimTo: 35,
      aimBy: "2027-01-31",
      statement: "because",
      checkpointRule: "continue if x",
      guardrail: "none",
      rollbackPath: "flag off",
      cadenceWeeks: 1,
      createdBy: "U0TESTER",
      createdAt: at("2026-11-02T10:00:00Z"),
    },
  });
  const signal = await db.signal.create({
    data: {
      mechanismId: mechanism.id,
      kind: "proxy",
      name: '-signal, "odd"',
      baseline: 1,
      target: 2,
      unit: "%",
    },
  });
  const review = await db.review.create({
    data: {
      mechanismId: mechanism.id,
      dueAt: at("2026-11-10T10:00:00Z"),
      status: "done",
      late: true,
      createdAt: at("2026-11-10T10:00:00Z"),
      completedAt: at("2026-11-10T10:15:00Z"),
    },
  });
  for (const [value, when] of [
    [-3.5, "2026-11-10T10:05:00Z"],
    [42.25, "2026-11-17T10:05:00Z"],
  ] as const)
    await db.reading.create({
      data: { signalId: signal.id, reviewId: review.id, value, recordedBy: "U0OWNER", recordedAt: at(when) },
    });
  await db.decision.create({
    data: {
      mechanismId: mechanism.id,
      reviewId: review.id,
      decision: "continue",
      entry: HOSTILE,
      why: "+1 because @everyone said so",
      gateReason: FORMULA,
      checkpoint: "fail",
      source: "review",
      decidedBy: "U0TESTER",
      decidedAt: at("2026-11-10T10:15:00Z"),
    },
  });
  await db.deviation.create({
    data: {
      teamId,
      area: "deploys",
      deviation: HOSTILE,
      hypothesis: "-faster",
      benefit: "b",
      risk: "r",
      cycleIndex: 3,
      ownerId: "U0OWNER",
      createdAt: at("2026-11-03T09:00:00Z"),
    },
  });
  await db.alarm.create({
    data: {
      teamId,
      kind: "no_decisions",
      subjectKey: "team",
      cycleIndex: 2,
      lastCycle: 3,
      evidence: HOSTILE,
      suggestion: "@here decide",
      raisedAt: at("2026-11-09T09:00:00Z"),
    },
  });
  const incident = await db.incident.create({
    data: {
      teamId,
      title: `Checkout down ${HOSTILE}`,
      severity: "sev2",
      impact: "=1+1",
      startedAt: at("2026-11-05T08:00:00Z"),
      detectedAt: at("2026-11-05T08:10:00Z"),
      resolvedAt: at("2026-11-05T09:00:00Z"),
      reporterId: "U0TESTER",
      reporterTz: "Europe/London",
      createdAt: at("2026-11-05T09:30:00Z"),
    },
  });
  const finding = await db.finding.create({
    data: { incidentId: incident.id, text: HOSTILE, createdAt: at("2026-11-06T09:00:00Z") },
  });
  await db.finding.create({
    data: {
      incidentId: incident.id,
      text: "Alerts fine",
      notedReason: "no, action",
      createdAt: at("2026-11-06T09:05:00Z"),
    },
  });
  await db.actionItem.create({
    data: {
      findingId: finding.id,
      ownerId: "U0OWNER",
      dueDate: "2026-12-01",
      kind: "prevent",
      ticketUrl: "https://tickets.example/1?a=1,b=2",
      createdAt: at("2026-11-06T09:10:00Z"),
    },
  });
}

/** A team row written directly: no setup, so nothing recorded (not even an audit entry). */
async function createTeam(db: Db, o: { slackTeamId: string; name: string; channelId: string }) {
  return db.team.create({
    data: {
      ...o,
      timezone: "UTC",
      reviewWeekday: 1,
      reviewTime: "09:00",
      cadenceWeeks: 1,
      cycleAnchor: at("2026-11-02T09:00:00Z"),
      createdBy: "U0X",
      createdAt: at("2026-11-01T09:00:00Z"),
    },
  });
}

/** Another team's data in the same database: never part of this team's export. */
async function otherTeam(db: Db) {
  const team = await createTeam(db, { slackTeamId: "T0OTHER", name: "Other squad", channelId: "C0ELSE" });
  await db.deviation.create({
    data: {
      teamId: team.id,
      area: "secret",
      deviation: "OTHER TEAM ONLY",
      hypothesis: "h",
      benefit: "b",
      risk: "r",
      cycleIndex: 1,
      ownerId: "U0X",
      createdAt: at("2026-11-03T09:00:00Z"),
    },
  });
}

/** The export DM's current text once it says it is done (or failed). */
async function finished(h: Harness, user = "U0TESTER"): Promise<string> {
  return eventually(async () => {
    const dm = h.fake.dmsTo(user)[0];
    return dm && !dm.text.startsWith("Exporting") ? dm.text : null;
  }, 10_000);
}

/** The files uploaded into a person's DM, by name, as text. */
function dmFiles(h: Harness, user = "U0TESTER"): Map<string, string> {
  const channel = h.fake.dmChannelFor(user);
  const files = h.fake.files.filter((f) => f.completed && f.channel === channel);
  return new Map(files.map((f) => [f.filename, Buffer.from(f.bytes ?? new Uint8Array()).toString("utf8")]));
}

/** What a CSV cell must hold for a JSON value: the same text, formula-guarded when it is text. */
const csvText = (v: unknown): string => {
  if (v === null) return "";
  if (typeof v === "string") return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return String(v);
};

describeDb("/ratchet export", () => {
  let h: Harness;
  let teamId: string;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-25T09:00:00Z" });
    teamId = (await setupTeam(h)).id;
  });
  afterEach(async () => h?.close());

  it("DMs one CSV and one JSON file per dataset, which read back as the team's data", async () => {
    await seed(h.testDb.db, teamId);
    await otherTeam(h.testDb.db);
    await h.sender.command("export", { channelId: "C0TEAM" });
    const [ack] = await h.responses(1);
    expect(JSON.stringify(ack)).toContain("I'll DM you the files");
    const said = await finished(h);

    const files = dmFiles(h);
    expect([...files.keys()].sort()).toEqual(DATASETS.flatMap((d) => [`${d}.csv`, `${d}.json`]).sort());
    // The seed's 10 rows, plus what the audit log recorded of the setup.
    const total = DATASETS.reduce(
      (n, d) => n + (JSON.parse(files.get(`${d}.json`) ?? "[]") as unknown[]).length,
      0,
    );
    expect(total).toBeGreaterThanOrEqual(10);
    expect(said).toContain(
      `Export of *Checkout squad* done: ${total} rows in ${2 * N} files (${N} datasets as CSV and JSON)`,
    );
    const read = (name: string) => {
      const csv = csvObjects(files.get(`${name}.csv`) ?? "");
      const json = JSON.parse(files.get(`${name}.json`) ?? "") as Record<string, unknown>[];
      // The two files agree: same keys in the same order, same rows, each CSV cell the JSON value as text.
      expect(json.map((o) => Object.keys(o))).toEqual(json.map(() => csv.header));
      expect(csv.rows).toEqual(
        json.map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, csvText(v)]))),
      );
      expect(csv.header.at(-1)).toBe("team_timezone");
      return json;
    };
    const db = h.testDb.db;

    const decision = await db.decision.findFirstOrThrow({ include: { mechanism: true } });
    expect(read("decisions")).toEqual([
      {
        decision_id: decision.id,
        mechanism_id: decision.mechanismId,
        mechanism_title: `Nudge ${HOSTILE}`,
        review_id: decision.reviewId,
        decision: "continue",
        entry: HOSTILE,
        what_changed: "",
        what_didnt: "",
        why: "+1 because @everyone said so",
        change_detail: "",
        checkpoint: "fail",
        gate_reason: FORMULA,
        source: "review",
        decided_by: "U0TESTER",
        decided_at: "2026-11-10T10:15:00.000Z",
        team_timezone: "Europe/London",
      },
    ]);
    // In the CSV, typed text a spreadsheet would run is prefixed; numbers stay numbers.
    const decisionsCsv = csvObjects(files.get("decisions.csv") ?? "").rows[0];
    expect(decisionsCsv?.gate_reason).toBe(`'${FORMULA}`);
    expect(decisionsCsv?.entry).toBe(HOSTILE);
    const readings = read("readings");
    expect(readings.map((r) => r.value).sort()).toEqual([-3.5, 42.25]);
    expect(
      csvObjects(files.get("readings.csv") ?? "")
        .rows.map((r) => r.value)
        .sort(),
    ).toEqual(["-3.5", "42.25"]);
    expect(readings[0]).toMatchObject({ signal_name: '-signal, "odd"', signal_kind: "proxy", unit: "%" });

    const incident = await db.incident.findFirstOrThrow();
    expect(read("incidents")).toEqual([
      expect.objectContaining({
        incident_id: incident.id,
        title: `Checkout down ${HOSTILE}`,
        impact: "=1+1",
        started_at: "2026-11-05T08:00:00.000Z",
        mitigated_at: null,
        resolved_at: "2026-11-05T09:00:00.000Z",
        status: "open",
        team_timezone: "Europe/London",
      }),
    ]);
    const findings = await db.finding.findMany({ orderBy: { id: "asc" } });
    expect(read("findings")).toEqual(
      findings.map((f) => ({
        finding_id: f.id,
        incident_id: incident.id,
        text: f.text,
        noted_reason: f.notedReason,
        created_at: f.createdAt.toISOString(),
        team_timezone: "Europe/London",
      })),
    );
    const item = await db.actionItem.findFirstOrThrow();
    expect(read("action-items")).toEqual([
      expect.objectContaining({
        action_item_id: item.id,
        finding_id: item.findingId,
        incident_id: incident.id,
        due_date: "2026-12-01",
        ticket_url: "https://tickets.example/1?a=1,b=2",
        status: "open",
        closed_at: null,
      }),
    ]);
    expect(read("deviations")).toEqual([
      expect.objectContaining({
        deviation: HOSTILE,
        hypothesis: "-faster",
        cycle_index: 3,
        sensitive: false,
      }),
    ]);
    expect(read("alarms")).toEqual([
      expect.objectContaining({
        kind: "no_decisions",
        evidence: HOSTILE,
        last_cycle: 3,
        snooze_until_cycle: null,
      }),
    ]);
    expect(read("reviews")).toEqual([
      expect.objectContaining({ due_at: "2026-11-10T10:00:00.000Z", status: "done", late: true }),
    ]);
    // Nothing of another team's, and no broadcast anywhere Slack shows text.
    expect([...files.values()].join("")).not.toContain("OTHER TEAM ONLY");
    for (const m of h.fake.dmsTo("U0TESTER")) expect(JSON.stringify(m)).not.toContain("<!channel>");

    // The DM showed progress as datasets were written.
    const updates = h.fake.callsTo("chat.update").map((c) => String(c.args.text));
    expect(updates).toContain(`Exporting *Checkout squad*… 1 of ${N} datasets, 1 row`);
    expect(updates).toContain(`Exporting *Checkout squad*… ${N} of ${N} datasets, ${total} rows`);
  });

  it("still sends every file to an empty team, headers only, and says so", async () => {
    await createTeam(h.testDb.db, { slackTeamId: h.fake.teamId, name: "Quiet squad", channelId: "C0OTHER" });
    await h.sender.command("export", { channelId: "C0OTHER" });
    expect(await finished(h)).toContain(
      `Export of *Quiet squad* done: nothing recorded yet, so the ${2 * N} files`,
    );
    const files = dmFiles(h);
    expect(files.size).toBe(2 * N);
    expect(csvObjects(files.get("incidents.csv") ?? "")).toMatchObject({ rows: [] });
    expect(csvObjects(files.get("incidents.csv") ?? "").header.slice(0, 3)).toEqual([
      "incident_id",
      "title",
      "severity",
    ]);
    expect(JSON.parse(files.get("reviews.json") ?? "")).toEqual([]);
  });

  it("answers a second export while the first runs that it is running, and sends the files once", async () => {
    h.fake.failNext("files.getUploadURLExternal", { delayMs: 1500 });
    await h.sender.command("export", { channelId: "C0TEAM" });
    await h.fake.waitFor("chat.postMessage", (a) => String(a.text).startsWith("Exporting"), 5000);
    await h.sender.command("export", { channelId: "C0TEAM" });
    const answers = await eventually(async () => {
      const all = await h.responses(2);
      return all.length >= 2 ? all : null;
    });
    expect(JSON.stringify(answers[1])).toContain("Your export of *Checkout squad* is still running");
    await finished(h);
    await h.settle();
    expect(h.fake.files.filter((f) => f.completed)).toHaveLength(2 * N);
    expect(h.fake.dmsTo("U0TESTER").filter((m) => !m.files)).toHaveLength(1);
  });

  it("tells the person in the DM when an upload fails", async () => {
    h.fake.failNext("files.getUploadURLExternal", { error: "internal_error" });
    await h.sender.command("export", { channelId: "C0TEAM" });
    expect(await finished(h)).toContain(
      "The export of *Checkout squad* did not finish: uploading `decisions.csv` failed. Try `/ratchet export` again",
    );
    // And a new export afterwards works: the failed one let go of its claim.
    await h.sender.command("export", { channelId: "C0TEAM" });
    await eventually(async () => h.fake.files.filter((f) => f.completed).length === 2 * N || null, 10_000);
  });
});

describeDb("npm run export", () => {
  let h: Harness;
  let out: string;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-25T09:00:00Z" });
    out = mkdtempSync(join(tmpdir(), "ratchet-export-"));
  });
  afterEach(async () => {
    rmSync(out, { recursive: true, force: true });
    await h?.close();
  });

  it("writes the same files as the command to --out, with progress lines on a pipe", async () => {
    const team = await setupTeam(h);
    await seed(h.testDb.db, team.id);
    const lines: string[] = [];
    const code = await runExport(
      ["--team", "checkout SQUAD", "--out", out],
      { DATABASE_URL: h.testDb.url },
      {
        write: (t: string) => lines.push(t),
        isTTY: false,
      },
    );
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(DATASETS.flatMap((d) => [`${d}.csv`, `${d}.json`]).sort());
    expect(lines.at(-2)).toMatch(
      new RegExp(`^export: ${N}/${N} datasets, \\d+ rows \\(${DATASETS.at(-1)}\\)\n$`),
    );
    expect(lines).toContain(`export: 8/${N} datasets, 10 rows (reviews)\n`);
    const decisions = JSON.parse(readFileSync(join(out, "decisions.json"), "utf8")) as { entry: string }[];
    expect(decisions.map((d) => d.entry)).toEqual([HOSTILE]);

    // The slash command's files are byte for byte the script's.
    await h.sender.command("export", { channelId: "C0TEAM" });
    await finished(h);
    await h.settle();
    for (const [name, text] of dmFiles(h)) expect(text, name).toBe(readFileSync(join(out, name), "utf8"));
  });

  it("finds the team by id too, and draws a bar on a terminal", async () => {
    const team = await createTeam(h.testDb.db, { slackTeamId: "T0Q", name: "Quiet squad", channelId: "C0Q" });
    const drawn: string[] = [];
    const code = await runExport(
      ["--team", team.id, "--out", out],
      { DATABASE_URL: h.testDb.url },
      {
        write: (t: string) => drawn.push(t),
        isTTY: true,
      },
    );
    expect(code).toBe(0);
    expect(drawn.some((t) => t.startsWith(`\r[########################] ${N}/${N} datasets, 0 rows`))).toBe(
      true,
    );
    expect(drawn.at(-1)).toContain("(no data yet: headers only)");
  });
});

describeDb("npm run export without a team", () => {
  it("exits 1 with a clear message for an unknown team, writing nothing", async () => {
    // No app needed: the script reads the database alone.
    const db = await createTestDb();
    const out = mkdtempSync(join(tmpdir(), "ratchet-export-"));
    const said: string[] = [];
    const code = await runExport(
      ["--team", "nobody", "--out", join(out, "x")],
      { DATABASE_URL: db.url },
      {
        write: (t: string) => said.push(t),
      },
    );
    expect(code).toBe(1);
    expect(said.join("")).toContain('No team has the id, channel id or name "nobody".');
    expect(readdirSync(out)).toEqual([]);
    rmSync(out, { recursive: true, force: true });
    await db.close();
  });
});
