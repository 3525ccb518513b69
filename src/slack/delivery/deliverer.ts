import type { Logger } from "pino";
import type { Clock } from "../../shared/clock.js";
import type { Delivery, DeliveryKind, DeliveryRefs, DeliveryStore } from "../../shared/deliveries.js";
import type { Notifier, SlackMessage, UploadFile } from "../notifier.js";
import { classifySlackError, type SlackOutcome } from "../slack-errors.js";
import { ChannelPacer } from "./pacer.js";

/** What a delivery becomes in Slack: a message, or a file (the rollup's chart). */
export type Drawn =
  | { type: "message"; message: SlackMessage }
  | { type: "file"; file: Omit<UploadFile, "channel" | "threadTs"> };

/** One kind's path: load fresh data and draw it (null: no longer wanted), then record the post. */
export interface Route<K extends DeliveryKind> {
  prepare(ref: DeliveryRefs[K], now: Date): Promise<Drawn | null>;
  delivered?(ref: DeliveryRefs[K], where: { channel: string; ts: string }, now: Date): Promise<void>;
}
export type Routes = { [K in DeliveryKind]: Route<K> };

/** What happened to one delivery in a pass (for metrics and tests). */
export type DeliveryEvent =
  /** this worker took the delivery for an attempt */
  | "claimed"
  /** another worker or replica took it first */
  | "claim_lost"
  /** the attempt threw something no Slack answer explains (a bug or the database); it is logged */
  | "failed"
  | "sent"
  | "recovered"
  | "retry"
  | "unknown"
  | "blocked"
  | "gave_up"
  | "cancelled"
  | "rate_limited";

export interface DelivererOptions {
  /** the least time between two posts in one channel (Slack allows about one a second) */
  channelPaceMs: number;
  /** channels served at once */
  concurrency: number;
  /** deliveries read per pass */
  batch: number;
  /** how long after an unanswered attempt to look for it in the channel (Slack may store it late) */
  lookupAfterMs: number;
  /** a "sending" delivery this old belongs to a process that died mid-post */
  stuckAfterMs: number;
  /** attempts before a delivery Slack keeps refusing is given up */
  maxAttempts: number;
}

const DEFAULT_DELIVERER_OPTIONS: DelivererOptions = {
  channelPaceMs: 1100,
  concurrency: 16,
  batch: 2000,
  lookupAfterMs: 30_000,
  stuckAfterMs: 180_000,
  maxAttempts: 8,
};

export interface DelivererDeps {
  store: DeliveryStore;
  notifier: Notifier;
  routes: Routes;
  clock: Clock;
  log: Logger;
  options?: Partial<DelivererOptions>;
  /**
   * A channel became unreachable (first time): tell the people who can fix it, and what waits (the
   * message that was refused, when the post itself hit the problem). Never throws.
   */
  onChannelProblem?: (p: {
    channel: string;
    teamId: string | null;
    error: string;
    waiting: SlackMessage | null;
  }) => Promise<void>;
  /** A delivery was given up for a reason a person should hear about (not a missing DM recipient). */
  onGiveUp?: (d: Delivery, error: string) => Promise<void>;
  onEvent?: (event: DeliveryEvent, kind: DeliveryKind) => void;
  /**
   * OAuth mode: runs a delivery's attempt as its workspace's (whose token its Slack calls carry);
   * "uninstalled" when that workspace has uninstalled Ratchet, and the delivery is cancelled.
   */
  inWorkspace?: (
    d: Delivery,
    attempt: () => Promise<"ok" | "stop-channel">,
  ) => Promise<"ok" | "stop-channel" | "uninstalled">;
}

/** Held channels a read leaves out, at most: the list is a query parameter each (SQLite allows 999). */
const MAX_SKIPPED = 200;

const USER_ID = /^[UW][A-Z0-9]{1,20}$/;
const isUserTarget = (target: string) => USER_ID.test(target);

/** One channel's share of a pass, waiting for (or held by) a worker. */
interface Turn {
  channel: string;
  list: Delivery[];
  blocked: Set<string>;
  now: Date;
  done: () => void;
}

/**
 * Posts what the outbox holds: due deliveries are read in one query, grouped by channel, and sent
 * concurrently across channels while each channel is paced; every Slack answer moves the delivery
 * through the status machine in src/shared/deliveries.ts. Safe to run on several replicas at once:
 * each attempt is taken by a conditional update. `kick()` runs a pass soon after something is queued.
 */
export class Deliverer {
  private readonly o: DelivererOptions;
  private readonly pacer: ChannelPacer;
  /** the read phase of a pass; calls meanwhile share it and ask for one more read after it */
  private reading: Promise<void> | null = null;
  private again = false;
  private kickPending = false;
  private stopped = false;
  /** passes not yet finished (their posts included), for idle() */
  private readonly passes = new Set<Promise<void>>();
  /** channels waiting for or held by a worker, and when that turn ends: a later pass leaves them to it */
  private readonly taken = new Map<string, Promise<void>>();
  private readonly turns: Turn[] = [];
  private workers = 0;

  constructor(private readonly deps: DelivererDeps) {
    this.o = { ...DEFAULT_DELIVERER_OPTIONS, ...deps.options };
    this.pacer = new ChannelPacer(this.o.channelPaceMs);
  }

  /** Runs a pass soon (coalesced); for work enqueued by a person's action, so it doesn't wait a minute. */
  kick(): void {
    if (this.kickPending || this.stopped) return;
    this.kickPending = true;
    setImmediate(() => {
      this.kickPending = false;
      void this.pass(this.deps.clock.now()).catch((err: unknown) =>
        this.deps.log.error({ err }, "delivery pass failed"),
      );
    });
  }

  /**
   * One pass over due deliveries; resolves when what it read has been tried. Only the read is
   * serialized: while one channel's slow posts are in flight, a later pass (a kick, the next tick)
   * reads again and serves the other channels at once, so no channel waits on another's Slack.
   */
  pass(now: Date): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    const pass = (async () => {
      const served: Promise<void>[] = [];
      try {
        let at = now;
        do {
          this.again = false;
          served.push((await this.readAndDispatch(at)).served);
          at = this.deps.clock.now();
        } while (this.again);
      } finally {
        this.reading = null;
      }
      await Promise.all(served);
    })();
    this.reading = pass;
    this.passes.add(pass);
    void pass.then(
      () => this.passes.delete(pass),
      () => this.passes.delete(pass),
    );
    return pass;
  }

  /** Resolves when no pass is running or pending (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.passes.size > 0 || this.kickPending) {
      if (this.passes.size > 0) await Promise.allSettled([...this.passes]);
      else await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * Starts no more passes (a kick or the job does nothing) and resolves when the running ones are
   * done: for shutdown. What is still queued stays in the outbox, and the next process posts it.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  /** The bot was invited back to a channel: forget its problem and send what waited for it. */
  async resume(channel: string, at: Date): Promise<number> {
    const had = await this.deps.store.clearProblem(channel);
    const waiting = await this.deps.store.unblock(channel, at);
    if (had || waiting > 0) {
      this.deps.log.info({ channel, waiting }, "channel reachable again; its deliveries are queued");
      this.kick();
    }
    return waiting;
  }

  /**
   * Reads what is due and hands each channel not already held to a worker. `served` ends when every
   * channel read has had its turn (a held channel's after its current turn and a fresh read), so a
   * tick that awaits a pass has seen its posts tried, while channels never wait on each other.
   */
  /** The re-read waiting on each held channel's turn (see readAndDispatch). */
  private readonly rereads = new Map<string, Promise<void>>();

  private async readAndDispatch(now: Date): Promise<{ served: Promise<void> }> {
    const { store } = this.deps;
    const expired = await store.expire(now);
    if (expired > 0) this.deps.log.info({ expired }, "deliveries expired before they could be sent");
    // Channels a worker holds are left out of the read: a busy channel's backlog (one channel's
    // decisions paced at 1 msg/s) was otherwise read again, whole, by every pass each enqueue kicks.
    // They are read again once their turn ends (rereadAfter), so nothing waits for the next tick.
    const skip = [...this.taken.keys()].slice(0, MAX_SKIPPED);
    // Hooked before the read, while they are surely held: a turn that ends during the read then
    // asks for another read instead of leaving its channel's new rows to the next tick.
    const mine: Promise<void>[] = skip.flatMap((channel) => this.rereadAfter(channel) ?? []);
    const rows = await store.due({
      now,
      lookupBefore: new Date(now.getTime() - this.o.lookupAfterMs),
      stuckBefore: new Date(now.getTime() - this.o.stuckAfterMs),
      limit: this.o.batch,
      skip,
    });
    if (rows.length === 0) return { served: Promise.all(mine).then(() => undefined) };
    const blocked = new Set((await store.channelProblems()).map((p) => p.channel));
    const byChannel = new Map<string, Delivery[]>();
    for (const d of rows) byChannel.set(d.target, [...(byChannel.get(d.target) ?? []), d]);
    for (const [channel, list] of byChannel) {
      const reread = this.rereadAfter(channel);
      if (reread) {
        mine.push(reread);
        continue;
      }
      const turn = new Promise<void>((done) => this.turns.push({ channel, list, blocked, now, done }));
      this.taken.set(channel, turn);
      mine.push(turn);
    }
    while (this.workers < this.o.concurrency && this.turns.length > 0) {
      this.workers++;
      void this.work();
    }
    return { served: Promise.all(mine).then(() => undefined) };
  }

  /**
   * When a worker holds the channel: the read that follows its turn, for what the turn didn't have.
   * One per held channel, however many passes find it held: a burst of kicks (every enqueue kicks)
   * would otherwise hang a callback per pass on the turn, and the heap grew to 2 GB under sustained
   * review submissions (issue 10's bench). Undefined when the channel is free.
   */
  private rereadAfter(channel: string): Promise<void> | undefined {
    const held = this.taken.get(channel);
    if (!held) return undefined;
    let reread = this.rereads.get(channel);
    if (!reread) {
      reread = held.then(() => {
        this.rereads.delete(channel);
        return this.readAgain();
      });
      this.rereads.set(channel, reread);
    }
    return reread;
  }

  /**
   * Another read after a held channel let go. If a read is under way it simply reads once more (its
   * pass serves what it finds); awaiting that pass here could wait on itself, when the channel was
   * held while this very pass was still reading.
   */
  private readAgain(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return Promise.resolve();
    }
    return this.pass(this.deps.clock.now());
  }

  /** A worker: serves queued channel turns one after another until none is left. */
  private async work(): Promise<void> {
    try {
      for (let t = this.turns.shift(); t; t = this.turns.shift()) {
        try {
          await this.serveChannel(t.list, t.blocked, t.now);
        } catch (err) {
          this.deps.log.error(
            { err, channel: t.channel },
            "a channel's deliveries stopped; the next pass resumes",
          );
        } finally {
          this.taken.delete(t.channel);
          t.done();
        }
      }
    } finally {
      this.workers--;
    }
  }

  /** One channel's deliveries in order; a rate limit or a channel problem stops the rest for this pass. */
  private async serveChannel(list: Delivery[], blocked: Set<string>, now: Date): Promise<void> {
    for (const d of list) {
      if (blocked.has(d.target)) {
        await this.deps.store.block(d.id, { error: "channel unreachable", at: now });
        this.event("blocked", d);
        continue;
      }
      try {
        const attempt = () => this.attempt(d, now);
        const stop = this.deps.inWorkspace ? await this.deps.inWorkspace(d, attempt) : await attempt();
        if (stop === "uninstalled") {
          await this.deps.store.cancel(d.id, { reason: "workspace uninstalled", at: now });
          this.event("cancelled", d);
        }
        if (stop === "stop-channel") return;
      } catch (err) {
        this.event("failed", d);
        this.deps.log.error({ err, ...this.context(d) }, "delivery attempt failed unexpectedly");
      }
    }
  }

  private async attempt(d: Delivery, now: Date): Promise<"ok" | "stop-channel"> {
    const { store, notifier, log } = this.deps;
    if (!(await store.start(d, now))) {
      this.event("claim_lost", d); // another worker or replica has it
      return "ok";
    }
    this.event("claimed", d);
    const ctx = this.context(d);
    const route = this.deps.routes[d.kind] as Route<DeliveryKind>;
    const ref = d.ref as DeliveryRefs[DeliveryKind];

    // An earlier attempt may have posted it: look before sending again.
    if ((d.status === "unknown" || d.status === "sending") && d.startedAt) {
      const channel = d.channel ?? (isUserTarget(d.target) ? null : d.target);
      if (channel) {
        let found: string | null;
        try {
          found = await notifier.findPosted({
            channel,
            key: d.key,
            since: d.startedAt,
            ...(d.threadTs ? { threadTs: d.threadTs } : {}),
          });
        } catch (err) {
          return this.failed(d, classifySlackError(err), now, "lookup");
        }
        if (found) {
          await this.record(d, route, ref, { channel, ts: found });
          this.event("recovered", d);
          log.info(
            { ...ctx, ts: found },
            "found an earlier post of this delivery; recorded it instead of posting again",
          );
          return "ok";
        }
      }
    }

    let drawn: Drawn | null;
    try {
      drawn = await route.prepare(ref, now);
    } catch (err) {
      log.error({ err, ...ctx }, "delivery could not be prepared");
      return this.failed(d, { kind: "refused", code: "prepare_failed", scope: "transient" }, now, "prepare");
    }
    if (!drawn) {
      await store.cancel(d.id, { reason: "no longer wanted", at: now });
      this.event("cancelled", d);
      return "ok";
    }

    let channel = d.channel ?? d.target;
    try {
      if (isUserTarget(d.target) && !d.channel) {
        channel = await notifier.openDm(d.target);
        await store.setChannel(d.id, channel, now);
      }
      await this.pacer.wait(channel);
      const where =
        drawn.type === "message"
          ? await notifier.post(channel, drawn.message, {
              key: d.key,
              ...(d.threadTs ? { threadTs: d.threadTs } : {}),
            })
          : await this.upload(channel, d, drawn.file);
      await this.record(d, route, ref, where);
      this.event("sent", d);
      return "ok";
    } catch (err) {
      const outcome = classifySlackError(err);
      // A file can't carry a marker to look it up by: an upload with no clear answer is not repeated.
      if (drawn.type === "file" && outcome.kind === "unknown") {
        return this.giveUp(d, `upload outcome unknown (${outcome.code}); not repeated, so no duplicate`, now);
      }
      return this.failed(d, outcome, now, "post", drawn);
    }
  }

  private async upload(channel: string, d: Delivery, file: Omit<UploadFile, "channel" | "threadTs">) {
    const res = await this.deps.notifier.uploadFile({
      ...file,
      channel,
      ...(d.threadTs ? { threadTs: d.threadTs } : {}),
    });
    return { channel, ts: res.fileId ?? "" };
  }

  /**
   * The post exists: the ritual records where, then the delivery is marked sent — in that order, so a
   * process killed in between leaves it "sending", and the lookup that follows finds the post and
   * records it again (handlers' `delivered` is idempotent). A failing `delivered` is logged, not retried.
   */
  private async record(
    d: Delivery,
    route: Route<DeliveryKind>,
    ref: DeliveryRefs[DeliveryKind],
    where: { channel: string; ts: string },
  ): Promise<void> {
    const at = this.deps.clock.now();
    try {
      await route.delivered?.(ref, where, at);
    } catch (err) {
      this.deps.log.error(
        { err, ...this.context(d), ts: where.ts },
        "posted, but the post could not be recorded",
      );
    }
    await this.deps.store.sent(d.id, where, at);
  }

  /** Decides what a failed attempt becomes. "stop-channel" ends this channel's turn in the pass. */
  private async failed(
    d: Delivery,
    outcome: SlackOutcome,
    now: Date,
    step: "lookup" | "prepare" | "post",
    drawn?: Drawn,
  ): Promise<"ok" | "stop-channel"> {
    const { store, log } = this.deps;
    const ctx = { ...this.context(d), step, error: outcome.code };
    const attempt = d.attempts + 1;
    switch (outcome.kind) {
      case "rate_limited": {
        const notBefore = new Date(now.getTime() + outcome.retryAfterSec * 1000);
        this.pacer.pauseAll(outcome.retryAfterSec * 1000);
        await store.retry(d.id, { error: "ratelimited", notBefore, at: now });
        this.event("rate_limited", d);
        log.warn(
          { ...ctx, retryAfterSec: outcome.retryAfterSec },
          "Slack rate-limited the delivery; it waits",
        );
        return "stop-channel";
      }
      case "unknown":
        await store.unknown(d.id, { error: outcome.code, at: now });
        this.event("unknown", d);
        log.warn(ctx, "no clear answer from Slack; the next pass looks for the post before sending again");
        return "ok";
      case "refused":
        switch (outcome.scope) {
          case "channel":
            await store.block(d.id, { error: outcome.code, at: now });
            this.event("blocked", d);
            await this.channelProblem(d, outcome.code, now, drawn?.type === "message" ? drawn.message : null);
            return "stop-channel";
          case "user":
            return this.giveUp(d, `can't DM ${d.target}: ${outcome.code}`, now, { quiet: true });
          case "message":
            return this.giveUp(d, `Slack refused the message: ${outcome.code}`, now);
          default: {
            if (attempt >= this.o.maxAttempts)
              return this.giveUp(d, `refused ${attempt} times: ${outcome.code}`, now);
            const backoff = Math.min(30_000 * 2 ** (attempt - 1), 30 * 60_000);
            const scope =
              outcome.scope === "workspace" ? "Slack refuses Ratchet's token" : "Slack refused it";
            await store.retry(d.id, {
              error: outcome.code,
              notBefore: new Date(now.getTime() + backoff),
              at: now,
            });
            this.event("retry", d);
            log.warn({ ...ctx, attempt, retryInMs: backoff }, `${scope}; will retry`);
            return "ok";
          }
        }
    }
  }

  private async giveUp(d: Delivery, error: string, now: Date, o: { quiet?: boolean } = {}): Promise<"ok"> {
    await this.deps.store.fail(d.id, { error, at: now });
    this.event("gave_up", d);
    this.deps.log.error({ ...this.context(d), error }, "delivery given up");
    if (!o.quiet) await this.deps.onGiveUp?.(d, error).catch(() => {});
    return "ok";
  }

  private async channelProblem(
    d: Delivery,
    code: string,
    now: Date,
    waiting: SlackMessage | null,
  ): Promise<void> {
    const first = await this.deps.store.reportProblem({
      channel: d.target,
      teamId: d.teamId,
      error: code,
      at: now,
    });
    if (!first) return;
    this.deps.log.error(
      { channel: d.target, teamId: d.teamId, error: code, key: d.key },
      "Ratchet can't post in this channel; its deliveries wait until it is invited back",
    );
    await this.deps
      .onChannelProblem?.({ channel: d.target, teamId: d.teamId, error: code, waiting })
      .catch(() => {});
  }

  private context(d: Delivery) {
    return {
      deliveryId: d.id,
      key: d.key,
      job: d.kind,
      teamId: d.teamId,
      channel: d.channel ?? d.target,
      attempt: d.attempts + 1,
    };
  }

  private event(e: DeliveryEvent, d: Delivery): void {
    this.deps.onEvent?.(e, d.kind);
  }
}
