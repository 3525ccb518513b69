import type { Clock } from "../../shared/clock.js";

/**
 * The signatures of requests accepted in the last few minutes, so an exact replay (same body, same
 * timestamp, hence same signature) is refused. An entry is needed only while its timestamp is inside
 * the window; after that the timestamp check refuses the request anyway, so entries expire then.
 *
 * Bounded: only requests with a valid signature are remembered (nobody without the signing secret
 * can fill it), and past `capacity` the oldest entry goes. Forgetting early only reopens replay for
 * that one entry, while refusing when full would turn a traffic burst into refused requests.
 */
export class RecentSignatures {
  /** signature → the instant (ms) after which the timestamp check refuses it by itself */
  private readonly entries = new Map<string, number>();
  private evictedEarly = 0;

  constructor(private readonly o: { clock: Clock; windowMs: number; capacity: number }) {}

  /** Remembers a signature stamped at `timestampSec`; false when it was already seen (a replay). */
  remember(signature: string, timestampSec: number): boolean {
    const now = this.o.clock.now().getTime();
    this.expire(now);
    if (this.entries.has(signature)) return false;
    this.entries.set(signature, timestampSec * 1000 + this.o.windowMs);
    while (this.entries.size > this.o.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
      this.evictedEarly += 1;
    }
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Entries dropped for room while still inside the window (a sign capacity is too small). */
  get evicted(): number {
    return this.evictedEarly;
  }

  /**
   * Drops expired entries from the oldest end. Entries arrive in roughly timestamp order, so stopping at
   * the first live one keeps this O(1) per request; a stray late one is dropped on a later call.
   */
  private expire(now: number): void {
    for (const [signature, expiresAt] of this.entries) {
      if (expiresAt >= now) break;
      this.entries.delete(signature);
    }
  }
}
