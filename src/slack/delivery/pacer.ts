import { performance } from "node:perf_hooks";

/**
 * Keeps posts in one channel at least `paceMs` apart (Slack allows about one message a second per
 * channel) and holds every channel after a 429 for its Retry-After. Measured on the monotonic clock:
 * this paces I/O, it is not domain time.
 */
export class ChannelPacer {
  private readonly next = new Map<string, number>();
  private pausedUntil = 0;

  constructor(private readonly paceMs: number) {}

  async wait(channel: string): Promise<void> {
    const at = Math.max(this.next.get(channel) ?? 0, this.pausedUntil);
    const delay = at - performance.now();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    this.next.set(channel, performance.now() + this.paceMs);
    // Forget channels idle for a while, so a long-running process doesn't keep every channel forever.
    if (this.next.size > 10_000) {
      const now = performance.now();
      for (const [c, t] of this.next) if (t < now) this.next.delete(c);
    }
  }

  pauseAll(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, performance.now() + ms);
  }
}
