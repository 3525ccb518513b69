import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AlarmService } from "../../../src/alarms/alarm-service.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { createLogger } from "../../../src/shared/logger.js";
import { testAnnouncer } from "../../support/delivery.js";
import { InMemoryAlarmRepository } from "../../support/fakes/in-memory-alarms.js";
import { InMemoryDeliveryStore } from "../../support/fakes/in-memory-deliveries.js";
import { InMemoryStore, InMemoryTeamRepository } from "../../support/fakes/in-memory-repositories.js";
import { RecordingNotifier } from "../../support/fakes/recording-notifier.js";

const SETTLE_MS = 500;

/**
 * Each re-evaluation starts by loading the team, so loads count evaluations. While `hold` is set,
 * a load waits for `release()`: that is "an evaluation in progress".
 */
class GatedTeams extends InMemoryTeamRepository {
  loads: string[] = [];
  hold = false;
  private waiting: (() => void)[] = [];
  override async findById(id: string) {
    this.loads.push(id);
    if (this.hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return super.findById(id);
  }
  release(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
  get blocked(): number {
    return this.waiting.length;
  }
}

function service() {
  const store = new InMemoryStore();
  const teams = new GatedTeams(store);
  const alarms = new AlarmService({
    alarms: new InMemoryAlarmRepository(store),
    jobRuns: store.jobRuns,
    outbox: new InMemoryDeliveryStore(),
    teams,
    clock: new ManualClock("2026-11-24T10:00:00Z"),
    announcer: testAnnouncer(new RecordingNotifier()),
    log: createLogger("silent"),
    settleMs: SETTLE_MS,
  });
  return { alarms, teams };
}

describe("alarm re-checks after data changes", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits the settle time, then runs one evaluation for a burst of changes", async () => {
    const { alarms, teams } = service();
    const all = Promise.all([1, 2, 3, 4, 5].map(() => alarms.onDataChanged("t1")));
    await vi.advanceTimersByTimeAsync(SETTLE_MS - 1);
    expect(teams.loads).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await all;
    expect(teams.loads).toEqual(["t1"]);
  });

  it("covers a change that arrives while settling with the same evaluation", async () => {
    const { alarms, teams } = service();
    const first = alarms.onDataChanged("t1");
    await vi.advanceTimersByTimeAsync(SETTLE_MS / 2);
    const second = alarms.onDataChanged("t1");
    await vi.advanceTimersByTimeAsync(SETTLE_MS / 2);
    await Promise.all([first, second]);
    expect(teams.loads).toEqual(["t1"]);
  });

  it("runs once more when a change arrives during an evaluation, so the last change is never missed", async () => {
    const { alarms, teams } = service();
    teams.hold = true;
    const first = alarms.onDataChanged("t1");
    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    expect(teams.blocked).toBe(1); // the evaluation is running
    const second = alarms.onDataChanged("t1");
    teams.hold = false;
    teams.release();
    // The follow-up waits its own settle time, then evaluates again and sees the change.
    await vi.advanceTimersByTimeAsync(SETTLE_MS - 1);
    expect(teams.loads).toEqual(["t1"]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([first, second]);
    expect(teams.loads).toEqual(["t1", "t1"]);
  });

  it("keeps teams apart: each team's changes get their own evaluation", async () => {
    const { alarms, teams } = service();
    const both = Promise.all([alarms.onDataChanged("t1"), alarms.onDataChanged("t2")]);
    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    await both;
    expect(teams.loads.sort()).toEqual(["t1", "t2"]);
  });

  it("settled() resolves only after every pending re-check has run", async () => {
    const { alarms, teams } = service();
    void alarms.onDataChanged("t1");
    let settled = false;
    void alarms.settled().then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(SETTLE_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(teams.loads).toEqual(["t1"]);
  });
});
