// The auth caches must never keep a value read before a change this process made (a forget()).
import { describe, expect, it } from "vitest";
import { FreshCache } from "../../../shared/auth/fresh-cache";

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe("FreshCache", () => {
  it("shares one load between concurrent callers and keeps its value while fresh", async () => {
    const cache = new FreshCache<string, string>(60_000);
    let loads = 0;
    const load = async () => `value ${++loads}`;
    expect(await Promise.all([cache.get("org", load), cache.get("org", load)])).toEqual([
      "value 1",
      "value 1",
    ]);
    expect(await cache.get("org", load)).toBe("value 1");
    expect(loads).toBe(1);
  });

  it("does not keep a value whose load was in flight when the entry was forgotten", async () => {
    const cache = new FreshCache<string, string>(60_000);
    const beforeChange = deferred<string>();
    const waiting = cache.get("org", () => beforeChange.promise);
    cache.forget("org"); // the change commits while the old read is still on its way
    beforeChange.resolve("entitlements before the change");
    // Whoever was already waiting gets what was read for them...
    expect(await waiting).toBe("entitlements before the change");
    // ...but the next caller reads the store again instead of the stale value.
    expect(await cache.get("org", async () => "entitlements after the change")).toBe(
      "entitlements after the change",
    );
  });
});
