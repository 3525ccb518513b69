import { describe, expect, it } from "vitest";
import { PrismaAlarmRepository } from "../../../src/alarms/alarm-repository.js";
import { AlarmService } from "../../../src/alarms/alarm-service.js";
import type { Db } from "../../../src/db/client.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { createLogger } from "../../../src/shared/logger.js";
import { InMemoryStore, InMemoryTeamRepository } from "../../support/fakes/in-memory-repositories.js";
import { RecordingNotifier } from "../../support/fakes/recording-notifier.js";

/** Counts re-evaluations: each starts by loading the team (none exists, so it stops there). */
class CountingTeams extends InMemoryTeamRepository {
  loads = 0;
  override async findById(id: string) {
    this.loads++;
    return super.findById(id);
  }
}

function service(settleMs: number) {
  const clock = new ManualClock("2026-11-24T10:00:00Z");
  const teams = new CountingTeams(new InMemoryStore(clock));
  const s = new AlarmService({
    // Never reached: no team exists, so no evaluation touches the alarm table.
    alarms: new PrismaAlarmRepository(null as unknown as Db),
    teams,
    clock,
    notifier: new RecordingNotifier(),
    log: createLogger("silent"),
    settleMs,
  });
  return { s, loads: () => teams.loads };
}

describe("alarm re-checks after data changes", () => {
  it("collapses a burst of changes into one evaluation after the settle time", async () => {
    const { s, loads } = service(30);
    const all = Promise.all([1, 2, 3, 4, 5].map(() => s.onDataChanged("t1")));
    expect(loads()).toBe(0);
    await all;
    expect(loads()).toBe(1);
  });

  it("runs once more when a change arrives during an evaluation, so the last change is never missed", async () => {
    const { s, loads } = service(20);
    const first = s.onDataChanged("t1");
    await new Promise((r) => setTimeout(r, 25));
    const second = s.onDataChanged("t1");
    await Promise.all([first, second]);
    expect(loads()).toBe(2);
  });

  it("keeps teams apart", async () => {
    const { s, loads } = service(10);
    await Promise.all([s.onDataChanged("t1"), s.onDataChanged("t2")]);
    expect(loads()).toBe(2);
  });
});
