import type { Logger } from "pino";
import { bindToRequest } from "./request-context.js";

/**
 * Runs the Slack side effects of a request (posting, chat.update, alarm checks) after the
 * listener has acked, a few at a time. Without a limit, a burst of submissions runs every
 * announcement at once and new requests wait behind them for their ack; with it, acks go
 * first and the side effects drain behind. Work is in memory: what is queued when the
 * process dies is lost, which is why posts go through the outbox (enqueued before the ack) and
 * only edits of messages already posted, which the next change redoes, are left here.
 */
export class AfterAck {
  private running = 0;
  private readonly queue: { label: string; fn: () => Promise<unknown> }[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly log: Logger,
    private readonly concurrency = 2,
  ) {}

  run(label: string, fn: () => Promise<unknown>): void {
    if (this.stopped) {
      this.log.warn({ work: label }, "after-ack work dropped: shutting down");
      return;
    }
    // Bound to the request that queued it: whichever request's pump runs it, it logs as this one.
    this.queue.push({
      label,
      fn: bindToRequest(() => fn().catch((err: unknown) => this.failed(label, err))),
    });
    // setImmediate: start after pending I/O (the next requests waiting for their ack) is handled.
    setImmediate(() => this.pump());
  }

  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Takes no more work and drops what has not started; returns the dropped labels. Shutdown calls it
   * when its grace period is over, so the log names what this process leaves undone.
   */
  stop(): string[] {
    this.stopped = true;
    const dropped = this.queue.splice(0).map((q) => q.label);
    if (this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    return dropped;
  }

  private failed(label: string, err: unknown): void {
    this.log.error({ err, work: label }, "after-ack work failed");
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const next = this.queue.shift();
      if (!next) break;
      this.running++;
      next.fn().finally(() => {
        this.running--;
        setImmediate(() => this.pump());
        if (this.running === 0 && this.queue.length === 0) {
          for (const resolve of this.idleWaiters.splice(0)) resolve();
        }
      });
    }
  }
}
