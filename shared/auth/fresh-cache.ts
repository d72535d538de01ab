// A small cache whose entries are trusted for a bounded time by the app clock, so changes elsewhere show up in time.
import { nowMs } from "../clock";

/**
 * Revocation, deactivation and suspension must take effect within 5 s on every instance (docs/auth.md), so the
 * auth lookups are trusted for 4 s at most; a warm request inside that window touches no store.
 */
export const AUTH_FRESHNESS_MS = 4_000;

interface Entry<V> {
  value: V;
  at: number;
}

export class FreshCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly loading = new Map<K, Promise<V>>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached value while fresh; otherwise one load shared by every concurrent caller. */
  async get(key: K, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    const at = nowMs();
    if (entry && at - entry.at < this.maxAgeMs) return entry.value;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = load()
        .then((value) => {
          // A forget() while this load was in flight means the value may predate the change: hand it to the
          // callers that were already waiting, but never keep it.
          if (this.loading.get(key) === pending) this.set(key, value, at);
          return value;
        })
        .finally(() => {
          if (this.loading.get(key) === pending) this.loading.delete(key);
        });
      this.loading.set(key, pending);
    }
    return pending;
  }

  /**
   * Drops an entry, for changes made by this process (other processes see them within maxAge). A load already
   * in flight started before the change, so it is detached too: the next get() reads the store again.
   */
  forget(key: K): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.loading.clear();
  }

  private set(key: K, value: V, at: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, at });
  }
}
