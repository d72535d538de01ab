// A per-process cache of what a partition holds, kept while the partition's stamp is unchanged (shared/agents/view-stamp.ts).
import { nowMs } from "../clock";

interface Entry<V> {
  stamp: string;
  value: V;
  at: number;
}

/**
 * One entry per org. A value is served only under the stamp it was loaded after, so a write (which replaces the
 * stamp in its own batch) is seen by the very next read. `maxAgeMs` is a safety net for documents edited behind
 * the API (the portal's Data Explorer), which replace no stamp.
 */
export class StampedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loading = new Map<string, { stamp: string; value: Promise<V> }>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries = 1_000,
  ) {}

  /**
   * The value for `orgId` under `stamp`, loading it once for every concurrent caller. `load` must read the
   * partition after the stamp was read: then the value holds at least every change the stamp stands for.
   */
  async get(orgId: string, stamp: string, load: () => Promise<V>): Promise<V> {
    const at = nowMs();
    const entry = this.entries.get(orgId);
    if (entry && entry.stamp === stamp && at - entry.at < this.maxAgeMs) return entry.value;
    const pending = this.loading.get(orgId);
    if (pending && pending.stamp === stamp) return pending.value;
    const value = load();
    const mine = { stamp, value };
    this.loading.set(orgId, mine);
    try {
      const loaded = await value;
      this.set(orgId, { stamp, value: loaded, at });
      return loaded;
    } finally {
      if (this.loading.get(orgId) === mine) this.loading.delete(orgId);
    }
  }

  private set(orgId: string, entry: Entry<V>): void {
    this.entries.delete(orgId);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(orgId, entry);
  }
}
