// The bench harness measures in the devhost's own process: a measurement must leave that process's timers and I/O
// running (a starved loop let the devhost's keep-alive timers reset the next request: ECONNRESET in `bench auth`).
import { describe, expect, it } from "vitest";
import { measure, roundSpread } from "../../bench/harness";

describe("bench measure()", () => {
  it("lets timers run while it measures an operation that never waits on I/O", async () => {
    let ticks = 0;
    const interval = setInterval(() => ticks++, 10);
    let result;
    try {
      result = await measure("a cached lookup", async () => Math.sqrt(Math.random()), {
        ms: 500,
        warmup: 10,
      });
    } finally {
      clearInterval(interval);
    }
    // 500 ms at one tick per 10 ms: the bar is far below that, so only a starved event loop fails it.
    expect(ticks).toBeGreaterThan(10);
    expect(result.opsPerSec).toBeGreaterThan(0);
  });
});

describe("bench roundSpread()", () => {
  it("names the lowest and highest round and the median of an odd number of rounds", () => {
    expect(roundSpread([0.5, 0.41, 0.63])).toBe("(rounds 0.41–0.63×, median 0.50×)");
  });

  it("takes the mean of the two middle rounds as the median of an even number", () => {
    expect(roundSpread([0.4, 0.6, 0.44, 0.5])).toBe("(rounds 0.40–0.60×, median 0.47×)");
  });
});
