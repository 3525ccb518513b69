import { afterEach, beforeEach, expect, it } from "vitest";
import { claimJobRun, finishJobRun, jobRunStatuses } from "../../src/db/job-runs.js";
import { createTestDb, describeDb, type TestDb } from "../support/test-db.js";

describeDb("job-run claims", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
  });
  afterEach(async () => t?.close());

  it("lets exactly one of several concurrent claimers win", async () => {
    const wins = await Promise.all(
      Array.from({ length: 5 }, () => claimJobRun(t.db, "rollups", "team:2026-W48", 3)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it("never re-claims a run that is done or still claimed (a crash mid-post is not retried)", async () => {
    expect(await claimJobRun(t.db, "j", "k", 3)).toBe(true);
    expect(await claimJobRun(t.db, "j", "k", 3)).toBe(false);
    await finishJobRun(t.db, "j", "k", "done", "1234.5678");
    expect(await claimJobRun(t.db, "j", "k", 3)).toBe(false);
    expect((await t.db.jobRun.findFirstOrThrow()).detail).toBe("1234.5678");
  });

  it("re-claims a failed run until the attempt limit", async () => {
    expect(await claimJobRun(t.db, "j", "k", 3)).toBe(true);
    await finishJobRun(t.db, "j", "k", "failed");
    expect(await claimJobRun(t.db, "j", "k", 3)).toBe(true);
    await finishJobRun(t.db, "j", "k", "failed");
    expect(await claimJobRun(t.db, "j", "k", 3)).toBe(true);
    await finishJobRun(t.db, "j", "k", "failed");
    expect(await claimJobRun(t.db, "j", "k", 3)).toBe(false);
    expect((await t.db.jobRun.findFirstOrThrow()).attempts).toBe(3);
  });

  it("reports statuses only for keys that have a run", async () => {
    await claimJobRun(t.db, "j", "a", 1);
    await claimJobRun(t.db, "j", "b", 1);
    await finishJobRun(t.db, "j", "b", "done");
    await claimJobRun(t.db, "other", "c", 1);
    const statuses = await jobRunStatuses(t.db, "j", ["a", "b", "c"]);
    expect(Object.fromEntries(statuses)).toEqual({ a: "claimed", b: "done" });
  });
});
