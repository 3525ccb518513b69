import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobRuns } from "../../../src/shared/job-runs.js";

/** One stored run as a test reads it back (the database row, or the fake's). */
export interface StoredRun {
  status: string;
  attempts: number;
  detail: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface JobRunsUnderTest {
  jobRuns: JobRuns;
  stored(job: string, key: string): Promise<StoredRun | null>;
  close(): Promise<void>;
}

/** The JobRuns contract, run against the in-memory fake and against Prisma on each database. */
export function describeJobRunsContract(name: string, open: () => Promise<JobRunsUnderTest>): void {
  // Instants far from the wall clock, with milliseconds: stored exactly, or another clock was used.
  const T1 = new Date("2031-02-03T04:05:06.789Z");
  const T2 = new Date("2031-02-03T04:06:07.891Z");
  const T3 = new Date("2031-02-03T04:07:08.912Z");

  describe(`JobRuns contract: ${name}`, () => {
    let u: JobRunsUnderTest;
    beforeEach(async () => {
      u = await open();
    });
    afterEach(async () => u?.close());
    const claim = (key: string, at = T1, maxAttempts = 3) => u.jobRuns.claim("j", key, { at, maxAttempts });

    it("lets exactly one of several concurrent claimers win", async () => {
      const wins = await Promise.all(
        Array.from({ length: 5 }, () =>
          u.jobRuns.claim("rollups", "team:2026-W48", { at: T1, maxAttempts: 3 }),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it("never re-claims a run that is done or still claimed (a crash mid-post is not retried)", async () => {
      expect(await claim("k")).toBe(true);
      expect(await claim("k")).toBe(false);
      await u.jobRuns.finish("j", "k", "done", { at: T2, detail: "1234.5678" });
      expect(await claim("k")).toBe(false);
      expect(await u.stored("j", "k")).toMatchObject({ status: "done", detail: "1234.5678", attempts: 1 });
    });

    it("re-claims a failed run until the attempt limit", async () => {
      for (let i = 0; i < 3; i++) {
        expect(await claim("k")).toBe(true);
        await u.jobRuns.finish("j", "k", "failed", { at: T2 });
      }
      expect(await claim("k")).toBe(false);
      expect(await u.stored("j", "k")).toMatchObject({ status: "failed", attempts: 3 });
    });

    it("lets only one of two workers retrying a failed run at once take it", async () => {
      expect(await claim("k")).toBe(true);
      await u.jobRuns.finish("j", "k", "failed", { at: T2 });
      const both = await Promise.all([claim("k"), claim("k")]);
      expect(both.filter(Boolean)).toHaveLength(1);
      expect(await u.stored("j", "k")).toMatchObject({ status: "claimed", attempts: 2 });
    });

    it("takes over a claim abandoned before the given instant, once, and never a newer or finished one", async () => {
      expect(await claim("k", T1)).toBe(true);
      // Still fresh at T1: not abandoned.
      expect(await u.jobRuns.claim("j", "k", { at: T2, maxAttempts: 3, abandonedBefore: T1 })).toBe(false);
      const both = await Promise.all([
        u.jobRuns.claim("j", "k", { at: T3, maxAttempts: 3, abandonedBefore: T2 }),
        u.jobRuns.claim("j", "k", { at: T3, maxAttempts: 3, abandonedBefore: T2 }),
      ]);
      expect(both.filter(Boolean)).toHaveLength(1);
      expect(await u.stored("j", "k")).toMatchObject({ status: "claimed", attempts: 2, updatedAt: T3 });
      await u.jobRuns.finish("j", "k", "done", { at: T3 });
      const later = new Date(T3.getTime() + 60_000);
      expect(await u.jobRuns.claim("j", "k", { at: later, maxAttempts: 3, abandonedBefore: later })).toBe(
        false,
      );
    });

    it("reports statuses only for keys of that job that have a run", async () => {
      await claim("a");
      await claim("b");
      await u.jobRuns.finish("j", "b", "done", { at: T2 });
      await u.jobRuns.claim("other", "c", { at: T1, maxAttempts: 1 });
      const statuses = await u.jobRuns.statuses("j", ["a", "b", "c"]);
      expect(Object.fromEntries(statuses)).toEqual({ a: "claimed", b: "done" });
      expect((await u.jobRuns.statuses("j", [])).size).toBe(0);
    });

    it("stamps the claim, the finish and a re-claim with the caller's instants", async () => {
      await claim("k", T1);
      expect(await u.stored("j", "k")).toMatchObject({ createdAt: T1, updatedAt: T1 });
      await u.jobRuns.finish("j", "k", "failed", { at: T2 });
      expect(await u.stored("j", "k")).toMatchObject({ createdAt: T1, updatedAt: T2 });
      await claim("k", T3);
      expect(await u.stored("j", "k")).toMatchObject({ createdAt: T1, updatedAt: T3, status: "claimed" });
    });

    it("keeps a long detail to 2,000 characters and an omitted detail as it was", async () => {
      await claim("k");
      await u.jobRuns.finish("j", "k", "failed", { at: T2, detail: "x".repeat(2500) });
      expect((await u.stored("j", "k"))?.detail).toHaveLength(2000);
      await claim("k");
      await u.jobRuns.finish("j", "k", "done", { at: T3 });
      expect((await u.stored("j", "k"))?.detail).toHaveLength(2000);
    });
  });
}
