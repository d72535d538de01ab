// Counts what one key (a client address, an email digest) did within a sliding window on this instance, in bounded memory.

/** Keys remembered at once; the least recently counted one is forgotten first. */
const DEFAULT_MAX_KEYS = 10_000;

export class SlidingWindowCounter {
  /** Times per key, oldest first; Map order is the eviction order (a key is re-inserted whenever it counts). */
  private readonly times = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  private recent(key: string, now: number): number[] {
    return (this.times.get(key) ?? []).filter((at) => at > now - this.windowMs);
  }

  /** 0 while `key` counted fewer than `limit` times in the window; else the seconds until it has. */
  retryAfterSeconds(key: string, limit: number, now: number): number {
    const times = this.recent(key, now);
    if (times.length < limit) return 0;
    const retryAfterMs = times[times.length - limit]! + this.windowMs - now;
    return Math.max(1, Math.ceil(retryAfterMs / 1000));
  }

  /** Counts one more for `key`, keeping at most the `limit` latest times (all a check needs). */
  record(key: string, limit: number, now: number): void {
    const times = this.recent(key, now);
    times.push(now);
    this.times.delete(key);
    this.times.set(key, times.slice(-limit));
    if (this.times.size > this.maxKeys) this.times.delete(this.times.keys().next().value!);
  }
}
