// The fan-out starts the executions of a batch through concurrencyLimit: never more than N at once, none left behind.
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concurrencyLimit } from "../../shared/concurrency-limit";

/** A task that resolves when the test says so, recording how many ran at once. */
function gatedTasks(count: number) {
  let running = 0;
  let peak = 0;
  const releases: (() => void)[] = [];
  const started: number[] = [];
  const tasks = Array.from({ length: count }, (_, index) => async () => {
    running++;
    peak = Math.max(peak, running);
    started.push(index);
    await new Promise<void>((resolve) => releases.push(resolve));
    running--;
    return index;
  });
  return { tasks, releases, started, peak: () => peak, running: () => running };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("concurrencyLimit", () => {
  it("runs at most the limit at once and starts the rest in arrival order as slots free", async () => {
    const limit = concurrencyLimit(2);
    const { tasks, releases, started, running } = gatedTasks(5);
    const results = Promise.all(tasks.map((task) => limit(task)));
    await settle();
    expect(started).toEqual([0, 1]);
    releases.shift()!();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    expect(running()).toBe(2);
    while (releases.length > 0 || started.length < 5) {
      releases.shift()?.();
      await settle();
    }
    expect(await results).toEqual([0, 1, 2, 3, 4]);
  });

  it("frees the slot of a task that throws", async () => {
    const limit = concurrencyLimit(1);
    await expect(limit(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limit(async () => "next")).toBe("next");
  });

  it("refuses a task with whenFull() once maxWaiting tasks wait, and queues again when one frees", async () => {
    const limit = concurrencyLimit(1, { maxWaiting: 1, whenFull: () => new Error("full") });
    let release: () => void = () => undefined;
    const first = limit(() => new Promise<string>((resolve) => (release = () => resolve("first"))));
    const second = limit(async () => "second");
    await expect(limit(async () => "third")).rejects.toThrow("full");
    release();
    expect(await Promise.all([first, second])).toEqual(["first", "second"]);
    expect(await limit(async () => "fourth")).toBe("fourth");
  });

  it("refuses a limit that is not a positive integer", () => {
    expect(() => concurrencyLimit(0)).toThrow();
    expect(() => concurrencyLimit(1.5)).toThrow();
  });

  it("never exceeds the limit and finishes every task", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat({ max: 3 }), { maxLength: 40 }),
        async (size, delays) => {
          const limit = concurrencyLimit(size);
          let running = 0;
          let peak = 0;
          const results = await Promise.all(
            delays.map((delay, index) =>
              limit(async () => {
                running++;
                peak = Math.max(peak, running);
                for (let tick = 0; tick < delay; tick++) await settle();
                running--;
                return index;
              }),
            ),
          );
          expect(peak).toBeLessThanOrEqual(size);
          expect(results).toEqual(delays.map((_, index) => index));
        },
      ),
    );
  });
});
