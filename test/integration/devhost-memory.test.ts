// GET /dev/memory measures the host at rest: it waits for the invocations in flight before it collects and reads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type * as Held from "../fixtures/held-state";
import { bootDevHost, builtModule, builtPath } from "../support/devhost";

const held = builtModule<typeof Held>("test/fixtures/held-state.js");

describe("GET /dev/memory", () => {
  let host: DevHost;
  beforeAll(async () => {
    host = await bootDevHost({ extraFunctionFiles: [builtPath("test/fixtures/held-route.js")] });
  });
  afterAll(() => host.stop());

  it("answers only after the invocation in flight has finished", async () => {
    const order: string[] = [];
    const entered = held.entered;
    const inFlight = fetch(`${host.url}/api/fixture/held`).then(async (response) => {
      order.push(`held ${response.status}`);
      return response.json();
    });
    await entered;
    const memory = fetch(`${host.url}/dev/memory`).then(async (response) => {
      order.push(`memory ${response.status}`);
      return (await response.json()) as Record<string, unknown>;
    });
    // A request sent after it, and answered at once, shows the memory request has had its turn: it must be waiting.
    expect((await fetch(`${host.url}/dev/bus`)).status).toBe(200);
    expect(order).toEqual([]);
    held.release();
    const [answer, reading] = await Promise.all([inFlight, memory]);
    expect(answer).toEqual({ released: true });
    expect(order).toEqual(["held 200", "memory 200"]);
    expect(reading).toMatchObject({ quiescent: true });
    expect(reading.rss_mib).toBeGreaterThan(0);
  });

  it("answers at once when nothing is running", async () => {
    const reading = (await (await fetch(`${host.url}/dev/memory`)).json()) as Record<string, unknown>;
    expect(reading).toMatchObject({ quiescent: true });
    expect(reading.waited_ms).toBeLessThan(1_000);
  });
});
