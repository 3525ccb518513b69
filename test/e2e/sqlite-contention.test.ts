import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqlitePath } from "../../src/db/client.js";
import { createMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { type HeldLock, holdSqliteLock } from "../support/sqlite-locker.js";
import { testProvider } from "../support/test-db.js";

/**
 * Issue 8 §5: another process held SQLite's write lock for ~24 s and the whole bot froze — a command's
 * ack took 14 s and /healthz timed out, because better-sqlite3 waits for the lock on the event loop.
 * Under a held lock the bot must keep answering: a write fails fast with the busy apology, and works
 * again once the lock is gone. Bounds are generous (a shared 2-core machine); figures are printed.
 */
const BUSY = "Ratchet's database is busy — try again in a moment";
const since = (t0: number) => Math.round(performance.now() - t0);

describe.skipIf(testProvider !== "sqlite")("SQLite held by another process", () => {
  let h: Harness;
  let lock: HeldLock | undefined;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-23T09:00:00Z" });
    await setupTeam(h);
  });
  afterEach(async () => {
    await lock?.release();
    lock = undefined;
    await h?.close();
  });

  /** The command's text in the answers on its response_url, waiting up to `ms` for one to arrive. */
  async function answerAfter(index: number, ms: number): Promise<string | undefined> {
    const deadline = performance.now() + ms;
    while (h.fake.responseUrlPosts.length <= index && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const post = h.fake.responseUrlPosts[index];
    return post ? JSON.stringify(post.body) : undefined;
  }

  it("answers a write with the busy apology within 3 s, keeps /healthz and other acks fast, then works once the lock is gone", async () => {
    lock = await holdSqliteLock(sqlitePath(h.testDb.url));
    const before = h.fake.responseUrlPosts.length;

    // Every figure is counted from t0: this test shares the app's event loop, so while the app blocks
    // it, the requests below are sent late too, and only time since the start shows it.
    const t0 = performance.now();
    const writing = h.sender.command("incident channel <#C0OTHER|random>", { channelId: "C0TEAM" });
    const acked = writing.then(() => since(t0));
    // While that write waits for the lock: a second command's ack and a health check.
    await new Promise((r) => setTimeout(r, 100));
    const help = h.sender.command("help", { channelId: "C0TEAM" }).then((r) => ({ r, at: since(t0) }));
    const health = fetch(h.appUrl.replace("/slack/events", "/healthz")).then((r) => ({ r, at: since(t0) }));

    const ack = await writing;
    const [ackMs, helped, healthy] = await Promise.all([acked, help, health]);
    // The help answers in its ack (no database needed); only the apology comes on the response_url.
    await answerAfter(before, 3000 - since(t0));
    const texts = h.fake.responseUrlPosts.slice(before).map((p) => JSON.stringify(p.body));
    const answerMs = since(t0);
    console.log(
      `under a held write lock (ms since the write was sent): its ack ${ackMs}, both answers by ${answerMs}; ` +
        `a second command sent at ~100 acked at ${helped.at}; /healthz sent at ~100 answered at ${healthy.at} (${healthy.r.status})`,
    );

    expect(ack.status).toBe(200);
    expect(texts.some((t) => t.includes(BUSY))).toBe(true);
    expect(answerMs).toBeLessThan(3000);
    // Each command's once-only claim (src/slack/requests.ts) is written before its ack, so under a held
    // lock an ack waits out the write's budget (about a second), still well inside Slack's 3 seconds.
    expect(ackMs).toBeLessThan(2000);
    expect(helped.r.status).toBe(200);
    expect(JSON.stringify(helped.r.body)).toContain("/ratchet new");
    expect(helped.at).toBeLessThan(2100);
    expect(healthy.at).toBeLessThan(1100);
    expect(healthy.r.status).toBe(200);
    // Nothing was half-written.
    expect((await h.testDb.db.team.findFirstOrThrow()).incidentsChannelId).toBeNull();

    await lock.release();
    const again = h.fake.responseUrlPosts.length;
    const t1 = performance.now();
    await h.sender.command("incident channel <#C0OTHER|random>", { channelId: "C0TEAM" });
    const text = await answerAfter(again, 3000);
    console.log(`after the lock is released: answered in ${since(t1)} ms`);
    expect(text).not.toContain(BUSY);
    expect(text).toContain("C0OTHER");
    expect((await h.testDb.db.team.findFirstOrThrow()).incidentsChannelId).toBe("C0OTHER");
  });

  it("a tick that finds the database busy posts nothing and leaves the work to the next tick", async () => {
    await createMechanism(h);
    h.clock.set("2026-11-24T10:00:30Z");
    const reminders = () =>
      h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith("15-minute review due"));

    lock = await holdSqliteLock(sqlitePath(h.testDb.url));
    const t0 = performance.now();
    await h.tick();
    console.log(`a tick under a held write lock took ${since(t0)} ms`);
    expect(reminders()).toHaveLength(0);

    await lock.release();
    h.clock.advance(60_000);
    await h.tick();
    expect(reminders()).toHaveLength(1);
    await h.tick();
    expect(reminders()).toHaveLength(1);
  });
});
