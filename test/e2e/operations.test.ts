import { afterEach, describe, expect, it } from "vitest";
import { ACTION, MECH_BLOCK, VIEW } from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { faultyDb } from "../support/faulty-db.js";
import { createMechanism, goodMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

/**
 * Issue 8 §6, operable at scale: liveness that never waits on the database, readiness that names
 * what is missing, Prometheus metrics, and a request id on every log line of a request. All of it
 * through the real HTTP app, with the database and the fake Slack misbehaving on purpose.
 */
const get = async (h: Harness, path: string, timeoutMs = 5000) => {
  const started = performance.now();
  const res = await fetch(h.appUrl.replace("/slack/events", path), {
    signal: AbortSignal.timeout(timeoutMs),
  });
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    text: await res.text(),
    ms: performance.now() - started,
  };
};

describeDb("operations endpoints and request logs", () => {
  let h: Harness | undefined;
  const db = faultyDb();
  afterEach(async () => {
    db.heal();
    await h?.close();
    h = undefined;
  });
  const start = async (o: Parameters<typeof startHarness>[0] = {}) => {
    h = await startHarness({ wrapDb: db.wrap, readiness: { timeoutMs: 300 }, ...o });
    // Bolt asks auth.test once when it starts; let that answer land before a test queues failures.
    await h.fake.waitFor("auth.test", undefined, 5000);
    return h;
  };

  describe("GET /healthz", () => {
    it("answers 200 at once while every database query hangs", async () => {
      const h = await start();
      db.hang();
      const res = await get(h, "/healthz", 2000);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ ok: true });
      expect(res.ms).toBeLessThan(500);
    });
  });

  describe("GET /readyz", () => {
    it("answers 200 naming each check when the database answers, every migration is applied and Slack takes the token", async () => {
      const h = await start();
      const res = await get(h, "/readyz");
      expect(res.status).toBe(200);
      expect(res.type).toContain("application/json");
      expect(JSON.parse(res.text)).toEqual({
        ok: true,
        checks: {
          database: { ok: true },
          migrations: { ok: true },
          slack: { ok: true, checkedAt: h.clock.now().toISOString() },
        },
      });
    });

    it("answers 503 when the database is gone, and 200 once it is back", async () => {
      const h = await start();
      db.fail("Can't reach database server at db:5432");
      const res = await get(h, "/readyz");
      expect(res.status).toBe(503);
      const body = JSON.parse(res.text);
      expect(body.ok).toBe(false);
      expect(body.checks.database).toEqual({ ok: false, error: "Can't reach database server at db:5432" });
      expect(body.checks.migrations.ok).toBe(false);
      expect(body.checks.slack.ok).toBe(true);
      db.heal();
      expect((await get(h, "/readyz")).status).toBe(200);
    });

    it("answers 503 within its timeout while the database hangs, instead of hanging with it", async () => {
      const h = await start();
      db.hang();
      const res = await get(h, "/readyz", 3000);
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text).checks.database).toEqual({ ok: false, error: "no answer within 300 ms" });
      expect(res.ms).toBeLessThan(1500);
    });

    it("answers 503 naming the migration this build ships that the database lacks", async () => {
      const h = await start();
      const [newest] = await h.testDb.db.$queryRawUnsafe<{ migration_name: string }[]>(
        `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`,
      );
      if (!newest) throw new Error("the test database has no migrations");
      await h.testDb.db.$executeRawUnsafe(
        `DELETE FROM "_prisma_migrations" WHERE migration_name = '${newest.migration_name}'`,
      );
      const res = await get(h, "/readyz");
      expect(res.status).toBe(503);
      const { checks } = JSON.parse(res.text);
      expect(checks.database).toEqual({ ok: true });
      expect(checks.migrations).toMatchObject({ ok: false, pending: [newest.migration_name] });
    });

    it("answers 503 while a migration is recorded as failed part-way", async () => {
      const h = await start();
      await h.testDb.db.$executeRawUnsafe(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
         VALUES ('broken-1', 'x', '99999999999999_broken', CURRENT_TIMESTAMP, 0)`,
      );
      const res = await get(h, "/readyz");
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text).checks.migrations).toMatchObject({
        ok: false,
        pending: ["99999999999999_broken"],
      });
    });

    it("answers 503 when Slack refuses the token, asks auth.test again only after a while, and recovers", async () => {
      const h = await start();
      const asked = () => h.fake.callsTo("auth.test").length;
      h.fake.failNext("auth.test", { error: "invalid_auth" });
      const before = asked();
      const res = await get(h, "/readyz");
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text).checks.slack).toMatchObject({
        ok: false,
        error: "Slack said invalid_auth",
      });
      // Probes every few seconds reuse the answer rather than asking Slack each time.
      expect((await get(h, "/readyz")).status).toBe(503);
      expect(asked()).toBe(before + 1);
      h.clock.advance(10_000);
      expect((await get(h, "/readyz")).status).toBe(200);
      expect(asked()).toBe(before + 2);
      // A good answer is reused for a minute.
      h.clock.advance(59_000);
      expect((await get(h, "/readyz")).status).toBe(200);
      expect(asked()).toBe(before + 2);
      h.clock.advance(1_000);
      await get(h, "/readyz");
      expect(asked()).toBe(before + 3);
    });
  });

  describe("GET /metrics", () => {
    it("exposes request, Slack API, scheduler and outbox series with the values the run produced", async () => {
      const h = await start({ now: "2026-11-23T09:00:00Z" });
      await setupTeam(h); // a command and a view submission
      // A view submission refused inline: "by when" is in the past.
      await h.sender.command("new", { channelId: "C0TEAM" });
      const form = await h.openedView();
      const refused = await h.sender.submitView(form.id, {
        ...goodMechanism,
        [MECH_BLOCK.aimBy]: "2020-01-31",
      });
      expect(refused.errors).toBeDefined();
      await h.sender.submitView(form.id, goodMechanism);
      await h.fake.waitFor("chat.postMessage", (a) => String(a.text).startsWith("Mechanism:"), 5000);
      // The review reminder: rate-limited on the first tick, sent again (a retry) on the second.
      h.clock.set("2026-11-24T10:00:30Z");
      h.fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
      await h.tick();
      h.clock.set("2026-11-24T10:00:31Z");
      await h.tick();
      // Everything queued after the acks has run, so Slack's side and the counters agree.
      await h.composed.deps.afterAck.idle();
      await h.composed.deps.alarms.settled();
      await h.composed.deliverer.idle();

      const res = await get(h, "/metrics");
      expect(res.status).toBe(200);
      expect(res.type).toContain("text/plain");
      const m = parseMetrics(res.text);

      expect(
        m.value("ratchet_slack_request_duration_seconds_count", { surface: "command", outcome: "ok" }),
      ).toBe(2);
      expect(
        m.value("ratchet_slack_request_duration_seconds_count", { surface: "view", outcome: "ok" }),
      ).toBe(2);
      expect(
        m.value("ratchet_slack_request_duration_seconds_count", { surface: "view", outcome: "rejected" }),
      ).toBe(1);
      expect(
        m.value("ratchet_slack_request_duration_seconds_sum", { surface: "view", outcome: "ok" }),
      ).toBeGreaterThan(0);
      expect(m.value("ratchet_slack_ack_duration_seconds_count", { surface: "view" })).toBe(3);

      expect(m.value("ratchet_slack_api_calls_total", { method: "views.open" })).toBe(2);
      expect(m.value("ratchet_slack_api_calls_total", { method: "auth.test" })).toBeGreaterThanOrEqual(1);
      const posts = h.fake.callsTo("chat.postMessage").length;
      expect(m.value("ratchet_slack_api_calls_total", { method: "chat.postMessage" })).toBe(posts);
      expect(
        m.value("ratchet_slack_api_errors_total", { method: "chat.postMessage", error: "ratelimited" }),
      ).toBe(1);
      expect(m.value("ratchet_slack_api_retries_total", { method: "chat.postMessage" })).toBe(1);
      expect(m.value("ratchet_slack_api_duration_seconds_count", { method: "views.open" })).toBe(2);

      // Every job ran twice; each started 30 s, then 31 s, after its tick's minute (the clock stood still).
      for (const job of [
        "reviews",
        "deviations",
        "debriefs",
        "alarms",
        "action-items",
        "rollups",
        "deliveries",
      ]) {
        expect(m.value("ratchet_scheduler_lag_seconds_count", { job })).toBe(2);
        expect(m.value("ratchet_scheduler_lag_seconds_sum", { job })).toBe(61);
        expect(m.value("ratchet_job_duration_seconds_count", { job, outcome: "ok" })).toBe(2);
      }

      const review = { kind: "review_due" };
      expect(m.value("ratchet_delivery_events_total", { event: "claimed", ...review })).toBe(2);
      expect(m.value("ratchet_delivery_events_total", { event: "rate_limited", ...review })).toBe(1);
      expect(m.value("ratchet_delivery_events_total", { event: "sent", ...review })).toBe(1);
      const sent = await h.testDb.db.delivery.count({ where: { status: "sent" } });
      expect(sent).toBeGreaterThanOrEqual(1);
      expect(m.value("ratchet_deliveries", { status: "sent" })).toBe(sent);
      expect(m.value("ratchet_deliveries", { status: "queued" })).toBe(
        await h.testDb.db.delivery.count({ where: { status: "queued" } }),
      );
      expect(m.value("ratchet_deliveries", { status: "failed" })).toBe(0);

      // Event-loop delay and the process, from prom-client's default collectors on the app's registry.
      expect(m.value("nodejs_eventloop_lag_seconds", {})).toBeGreaterThanOrEqual(0);
      expect(m.value("process_resident_memory_bytes", {})).toBeGreaterThan(0);
    });

    it("reports how late the event loop ran since the previous scrape, and starts a new window with each scrape", async () => {
      const h = await start();
      await get(h, "/metrics"); // a new window from here
      // A reset forgets when the loop's timer last ran: its next run only starts the timing again.
      await new Promise((r) => setTimeout(r, 150));
      // The app shares this test's event loop: holding it holds the app, as a long job would.
      const blockedUntil = performance.now() + 300;
      while (performance.now() < blockedUntil) {
        // busy: nothing else runs
      }
      // The loop's timer comes round and records the wait (generous: on a loaded machine it runs late).
      await new Promise((r) => setTimeout(r, 200));
      const blocked = parseMetrics((await get(h, "/metrics")).text);
      const p50 = blocked.value("ratchet_event_loop_delay_seconds", { quantile: "0.5" });
      const p99 = blocked.value("ratchet_event_loop_delay_seconds", { quantile: "0.99" });
      const max = blocked.value("ratchet_event_loop_delay_max_seconds", {});
      for (const v of [p50, p99, max]) expect(Number.isFinite(v)).toBe(true);
      // Late by the block, less the 10 ms the timer was due in anyway.
      expect(max).toBeGreaterThanOrEqual(0.25);
      expect(max).toBeLessThan(5);
      expect(p50).toBeGreaterThanOrEqual(0);
      expect(p99).toBeGreaterThanOrEqual(p50 ?? Number.NaN);

      await new Promise((r) => setTimeout(r, 50));
      const after = parseMetrics((await get(h, "/metrics")).text);
      // The block was in the previous window.
      expect(after.value("ratchet_event_loop_delay_max_seconds", {})).toBeLessThan(0.25);
      expect(Number.isFinite(after.value("ratchet_event_loop_delay_seconds", { quantile: "0.99" }))).toBe(
        true,
      );
    });

    it("still answers while the database hangs, leaving the outbox gauge out", async () => {
      const h = await start();
      db.hang();
      const res = await get(h, "/metrics", 5000);
      expect(res.status).toBe(200);
      expect(res.text).toContain("ratchet_slack_api_calls_total");
      expect(res.text).not.toMatch(/^ratchet_deliveries\{/m);
      expect(h.logs.some((l) => l.msg === "could not count deliveries for /metrics")).toBe(true);
    });
  });

  describe("request ids in the logs", () => {
    const requestLines = (h: Harness) => h.logs.filter((l) => l.msg === "slack request");

    it("stamps every line of one request, the work it queues after the ack included, with one id, and each request with its own", async () => {
      const h = await start();
      await setupTeam(h);
      const { post } = await createMechanism(h);
      await h.sender.clickButton({
        userId: "U0OWNER",
        message: { channelId: "C0TEAM", ts: String((post.response as { ts: string }).ts) },
        actionId: ACTION.editMechanism,
      });
      const form = await h.openedView();
      // Updating the one-pager (after the ack, in the mechanism service) fails and is logged.
      h.fake.failNext("chat.update", { error: "internal_error" });
      await h.sender.submitView(form.id, { [MECH_BLOCK.title]: "First-run nudge v2" });
      const published = await eventually(async () =>
        h.logs.find((l) => l.msg === "could not update the one-pager"),
      );
      const submission = requestLines(h)
        .filter((l) => l.surface === "view" && l.callbackId === VIEW.mechanism)
        .at(-1);
      expect(submission).toBeDefined();
      expect(published).toMatchObject({
        requestId: submission?.requestId,
        surface: "view",
        callbackId: VIEW.mechanism,
      });

      // A command whose listener fails: its error line and its request line share an id of their own.
      h.fake.failNext("views.open", { error: "internal_error" });
      await h.sender.command("new", { channelId: "C0TEAM" });
      const failed = await eventually(async () =>
        h.logs.find((l) => l.msg === "unexpected error in a Slack listener"),
      );
      const command = await eventually(async () => requestLines(h).find((l) => l.outcome === "error"));
      expect(command).toMatchObject({ surface: "command", callbackId: "/ratchet", outcome: "error" });
      expect(failed.requestId).toBe(command.requestId);
      expect(failed.requestId).not.toBe(submission?.requestId);

      const ids = requestLines(h).map((l) => l.requestId);
      expect(ids.every((id) => typeof id === "string" && id.length >= 16)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });
});

/** The Prometheus text format, enough to read one sample by name and labels. */
function parseMetrics(text: string) {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match?.[1] || match[3] === undefined) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      if (k) labels[k] = v ?? "";
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return {
    /** The sample with exactly these labels (histogram buckets add `le`, so `_count`/`_sum` are unambiguous). */
    value(name: string, labels: Record<string, string>): number | undefined {
      const wanted = Object.entries(labels);
      return samples.find(
        (s) =>
          s.name === name &&
          Object.keys(s.labels).length === wanted.length &&
          wanted.every(([k, v]) => s.labels[k] === v),
      )?.value;
    },
  };
}
