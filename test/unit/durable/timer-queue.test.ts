// The devhost's durable timer queue: in order, never early, never after cancellation, and at the scale of a load run.
import { afterEach, describe, expect, it } from "vitest";
import { MovableClock } from "../../../devhost/clock";
import { TimerQueue } from "../../../devhost/durable/timers";

const HOUR = 3_600_000;

/** A deterministic sequence of pseudo-random numbers in [0, 1) (mulberry32), so a failure can be replayed. */
function randomNumbers(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Resolves once `condition` holds, checking on every turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe("durable timer queue", () => {
  const queues: TimerQueue[] = [];
  const queueOn = (clock: MovableClock) => {
    const queue = new TimerQueue(clock);
    queues.push(queue);
    return queue;
  };
  afterEach(() => {
    for (const queue of queues.splice(0)) queue.stop();
  });

  // Executions parked on hour-long timers pile up by the thousand under load: scheduling must neither throw
  // (spreading every pending timer into Math.min did past ~100 000) nor slow down with the number parked.
  it(
    "schedules 200 000 timers, fires them in fire-time order (ties in scheduling order), never a cancelled one",
    { timeout: 60_000 }, // a hang guard only
    async () => {
      const clock = new MovableClock();
      const queue = queueOn(clock);
      const random = randomNumbers(19);
      const start = clock.now();
      const fired: number[] = [];
      const timers: { index: number; fireAtMs: number; cancel: () => void }[] = [];
      for (let index = 0; index < 200_000; index++) {
        // Whole minutes over two days, so many timers share a fire time and the tie order is tested too.
        const fireAtMs = start + HOUR + Math.floor(random() * 2 * 24 * 60) * 60_000;
        timers.push({ index, fireAtMs, cancel: queue.schedule(fireAtMs, () => fired.push(index)) });
        // A turn now and then, so the hang guard can end a scheduling that slows down with the number pending.
        if (index % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      const cancelled = new Set<number>();
      for (const timer of timers) {
        if (timer.index % 7 !== 3) continue;
        timer.cancel();
        cancelled.add(timer.index);
      }
      expect(queue.hasDue()).toBe(false);

      clock.advance(3 * 24 * HOUR);

      const expected = timers
        .filter((timer) => !cancelled.has(timer.index))
        .sort((a, b) => a.fireAtMs - b.fireAtMs || a.index - b.index)
        .map((timer) => timer.index);
      expect(fired).toHaveLength(expected.length);
      expect(fired).toEqual(expected);
      expect(queue.hasDue()).toBe(false);
    },
  );

  it("forgets most timers cancelled at once and still fires the rest in order", () => {
    const clock = new MovableClock();
    const queue = queueOn(clock);
    const start = clock.now();
    const fired: number[] = [];
    const cancels: (() => void)[] = [];
    for (let index = 0; index < 50_000; index++)
      cancels.push(queue.schedule(start + HOUR + (50_000 - index) * 1_000, () => fired.push(index)));
    cancels.forEach((cancel, index) => {
      if (index % 10 !== 0) cancel();
    });
    cancels.forEach((cancel) => cancel()); // cancelling twice, or after the heap dropped the timer, is harmless
    const kept: number[] = [];
    for (let index = 0; index < 50_000; index += 10) {
      const again = queue.schedule(start + HOUR + (50_000 - index) * 1_000, () => fired.push(index));
      if (index % 20 === 0) kept.push(index);
      else again();
    }

    clock.advance(2 * 24 * HOUR);

    expect(fired).toEqual(kept.reverse());
  });

  it("fires only what is due when the clock moves, the rest when it moves past them", () => {
    const clock = new MovableClock();
    const queue = queueOn(clock);
    const start = clock.now();
    const fired: string[] = [];
    queue.schedule(start + 3 * HOUR, () => fired.push("3h"));
    queue.schedule(start + HOUR, () => fired.push("1h a"));
    queue.schedule(start + 2 * HOUR, () => fired.push("2h"));
    queue.schedule(start + HOUR, () => fired.push("1h b"));

    clock.advance(HOUR + 60_000);
    expect(fired).toEqual(["1h a", "1h b"]);
    clock.advance(HOUR);
    expect(fired).toEqual(["1h a", "1h b", "2h"]);
    clock.advance(HOUR);
    expect(fired).toEqual(["1h a", "1h b", "2h", "3h"]);
  });

  it("never fires a due timer inside schedule(): it is due at once and fires on a later turn", async () => {
    const clock = new MovableClock();
    const queue = queueOn(clock);
    let fired = 0;
    queue.schedule(clock.now() - 1_000, () => fired++);
    expect(fired).toBe(0);
    expect(queue.hasDue()).toBe(true);
    await until(() => fired === 1);
    expect(queue.hasDue()).toBe(false);
  });

  it("lets a timer scheduled while due timers fire wait for a later turn", async () => {
    const clock = new MovableClock();
    const queue = queueOn(clock);
    const fired: string[] = [];
    queue.schedule(clock.now() + HOUR, () => {
      fired.push("first");
      queue.schedule(clock.now() - 1, () => fired.push("scheduled while firing"));
    });
    queue.schedule(clock.now() + 2 * HOUR, () => fired.push("second"));

    clock.advance(3 * HOUR);
    expect(fired).toEqual(["first", "second"]);
    await until(() => fired.length === 3);
    expect(fired[2]).toBe("scheduled while firing");
  });

  it("fires in real time when nobody moves the clock, also after an earlier timer arrived or the earliest left", async () => {
    const clock = new MovableClock();
    const queue = queueOn(clock);
    const fired: string[] = [];
    queue.schedule(clock.now() + HOUR, () => fired.push("in an hour"));
    // Earlier than the one the wake-up was set for: the wake-up moves.
    queue.schedule(clock.now() + 30, () => fired.push("soon"));
    // The earliest is cancelled: the next one still fires on time.
    const cancel = queue.schedule(clock.now() + 10, () => fired.push("cancelled"));
    queue.schedule(clock.now() + 40, () => fired.push("a little later"));
    cancel();

    await until(() => fired.length === 2);
    expect(fired).toEqual(["soon", "a little later"]);
  });

  it("fires nothing after stop(), and cancelling then is harmless", () => {
    const clock = new MovableClock();
    const queue = queueOn(clock);
    let fired = 0;
    const cancel = queue.schedule(clock.now() + HOUR, () => fired++);
    queue.stop();
    cancel();
    clock.advance(2 * HOUR);
    expect(fired).toBe(0);
    expect(queue.hasDue()).toBe(false);
  });
});
