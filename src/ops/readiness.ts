import type { Clock } from "../shared/clock.js";
import { deadline } from "./deadline.js";

/** One check's verdict, as GET /readyz shows it. */
export interface CheckResult {
  ok: boolean;
  /** why it is not ok, in a sentence an operator can act on */
  error?: string;
  /** migrations only: shipped with this build but not applied (or failed half-way) */
  pending?: string[];
  /** slack only: when auth.test was last asked (answers are reused for a while) */
  checkedAt?: string;
}

export interface ReadinessReport {
  ok: boolean;
  checks: { database: CheckResult; migrations: CheckResult; slack: CheckResult };
}

export interface ReadinessOptions {
  /** how long each check may take before it counts as failed (probes have timeouts of their own) */
  timeoutMs: number;
  /** how long a good auth.test answer is reused, so probes every few seconds don't hammer Slack */
  slackOkTtlMs: number;
  /** how long a failed one is reused: shorter, so a replica comes back soon after Slack does */
  slackFailedTtlMs: number;
}

const DEFAULT_READINESS_OPTIONS: ReadinessOptions = {
  timeoutMs: 2000,
  slackOkTtlMs: 60_000,
  slackFailedTtlMs: 10_000,
};

export interface ReadinessDeps {
  /** resolves when the database answers a trivial query */
  database(): Promise<unknown>;
  /** the migrations `_prisma_migrations` records as applied, and as failed */
  migrations(): Promise<{ applied: string[]; failed: string[] }>;
  /** the migrations this build ships (src/db/migrate.ts shippedMigrations) */
  shipped: readonly string[];
  /** Slack's auth.test with the bot token; rejects when the token is refused or Slack can't be reached */
  slackAuth(): Promise<unknown>;
  clock: Clock;
  options?: Partial<ReadinessOptions>;
}

/**
 * Whether this replica should get traffic: the database answers, it has every migration this
 * build ships, and Slack accepts the bot token. /healthz, by contrast, only says the process is
 * alive, so an orchestrator restarts a wedged process but merely stops routing to one whose
 * database or Slack is away.
 */
export class Readiness {
  private readonly o: ReadinessOptions;
  private slack: { result: CheckResult; at: number; ttl: number } | null = null;
  private slackAsking: Promise<CheckResult> | null = null;

  constructor(private readonly deps: ReadinessDeps) {
    this.o = { ...DEFAULT_READINESS_OPTIONS, ...deps.options };
  }

  async check(): Promise<ReadinessReport> {
    const [database, migrations, slack] = await Promise.all([
      this.guard(this.deps.database().then(() => ({ ok: true }))),
      this.guard(this.migrations()),
      this.slackCheck(),
    ]);
    return { ok: database.ok && migrations.ok && slack.ok, checks: { database, migrations, slack } };
  }

  private async migrations(): Promise<CheckResult> {
    const { applied, failed } = await this.deps.migrations();
    const done = new Set(applied);
    const pending = [...new Set([...failed, ...this.deps.shipped.filter((m) => !done.has(m))])];
    if (pending.length === 0) return { ok: true };
    return {
      ok: false,
      pending,
      error:
        failed.length > 0
          ? `migration ${failed[0]} failed part-way; fix it by hand (see README → Database)`
          : `${pending.length} migration(s) this build ships are not applied; a replica of this build applies them at start`,
    };
  }

  /** auth.test, answered from the last result while it is fresh; concurrent probes share one call. */
  private async slackCheck(): Promise<CheckResult> {
    const now = this.deps.clock.now().getTime();
    if (this.slack && now - this.slack.at < this.slack.ttl) return this.slack.result;
    this.slackAsking ??= this.guard(this.deps.slackAuth().then(() => ({ ok: true })))
      .then((result) => {
        const at = this.deps.clock.now();
        const stamped = { ...result, checkedAt: at.toISOString() };
        this.slack = {
          result: stamped,
          at: at.getTime(),
          ttl: result.ok ? this.o.slackOkTtlMs : this.o.slackFailedTtlMs,
        };
        return stamped;
      })
      .finally(() => {
        this.slackAsking = null;
      });
    return this.slackAsking;
  }

  /** A check that throws or hangs is a failed check, never a failed or hanging probe. */
  private guard(check: Promise<CheckResult>): Promise<CheckResult> {
    return deadline(check, this.o.timeoutMs).catch((err: unknown) => ({ ok: false, error: describe(err) }));
  }
}

function describe(err: unknown): string {
  const code = (err as { data?: { error?: unknown } }).data?.error;
  if (typeof code === "string") return `Slack said ${code}`;
  return err instanceof Error ? err.message.split("\n", 1)[0] || err.name : String(err);
}
