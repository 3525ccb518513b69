import pino from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import { PrismaInstallationRepository } from "../../src/installations/installation-repository.js";
import { InstallationService, type TokenRefresher } from "../../src/installations/installation-service.js";
import { KeyRing, parseKey } from "../../src/installations/sealing.js";
import { ManualClock } from "../../src/shared/clock.js";
import { createTestDb, describeDb, type TestDb } from "../support/test-db.js";

const key = (fill: number) => parseKey(Buffer.alloc(32, fill).toString("hex")) ?? undefined;
const NOW = "2026-03-29T00:30:00Z"; // the night London's clocks go forward: expiry is plain UTC maths
const ws = { slackTeamId: "T0AAA", enterpriseId: null, isEnterpriseInstall: false };

describeDb("rotating bot tokens", () => {
  let t: TestDb;
  let calls: string[];
  const clock = new ManualClock(NOW);
  // A slow refresh, so the second replica's read lands while the first holds the claim.
  const refresher: TokenRefresher = {
    async refresh(refreshToken) {
      calls.push(refreshToken);
      await new Promise((r) => setTimeout(r, 150));
      return {
        token: `xoxe.xoxb-new-${calls.length}`,
        refreshToken: `xoxe-1-r${calls.length}`,
        expiresInSeconds: 43200,
      };
    },
  };
  const service = (keys = new KeyRing(key(1) ?? (undefined as never))) =>
    new InstallationService({
      repo: new PrismaInstallationRepository(t.db),
      keys,
      refresher,
      clock,
      log: pino({ level: "silent" }),
      retentionDays: 30,
    });
  beforeEach(async () => {
    t = await createTestDb();
    calls = [];
    clock.set(NOW);
  });
  afterEach(async () => t.close());

  it("two replicas asking at once: one oauth.v2.access refresh, both get the same new token", async () => {
    const expiresAt = Math.floor(clock.now().getTime() / 1000) + 3600; // within the refresh window
    await service().save(ws, { bot: { token: "xoxe.xoxb-old", refreshToken: "xoxe-1-r0", expiresAt } });
    const [a, b] = await Promise.all([service().botTokenFor("T0AAA"), service().botTokenFor("T0AAA")]);
    expect(calls).toEqual(["xoxe-1-r0"]);
    expect(a).toBe("xoxe.xoxb-new-1");
    expect(b).toBe(a);
    // Fresh now: no refresh until it nears its expiry again (12 hours on).
    expect(await service().botTokenFor("T0AAA")).toBe(a);
    clock.advance(10 * 3_600_000);
    expect(await service().botTokenFor("T0AAA")).toBe("xoxe.xoxb-new-2");
    expect(calls).toEqual(["xoxe-1-r0", "xoxe-1-r1"]);
  });

  it("a token far from expiry is not refreshed; an old key's row is sealed again with the new key when read", async () => {
    const expiresAt = Math.floor(clock.now().getTime() / 1000) + 43200;
    await service().save(ws, { bot: { token: "xoxe.xoxb-a", refreshToken: "r", expiresAt } });
    const rotated = service(new KeyRing(key(2) ?? (undefined as never), [key(1) ?? (undefined as never)]));
    expect(await rotated.botTokenFor("T0AAA")).toBe("xoxe.xoxb-a");
    expect(calls).toEqual([]);
    const row = await t.db.installation.findUniqueOrThrow({ where: { id: "T0AAA" } });
    expect(row.keyId).toBe(key(2)?.id);
    // The old key alone can no longer open it.
    await expect(service().botTokenFor("T0AAA")).rejects.toThrow(/no encryption key/);
  });
});
