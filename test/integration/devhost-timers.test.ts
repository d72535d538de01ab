// The devhost runs timer triggers on their NCRONTAB schedules, at start-up, and when tests move the clock.
import type { Timer } from "@azure/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { TimersHandle } from "../../devhost/timers/extension";
import type * as Fixture from "../fixtures/bus-fixture";
import { bootDevHost, builtModule, builtPath, timersOf } from "../support/devhost";

const fixture = builtModule<typeof Fixture>("test/fixtures/bus-fixture.js");
const runsOf = (functionName: string) =>
  fixture.received.filter((r) => r.functionName === functionName).map((r) => r.input as Timer);

describe("devhost timers", () => {
  let host: DevHost;
  let timers: TimersHandle;

  beforeAll(async () => {
    host = await bootDevHost({
      extraFunctionFiles: [builtPath("test/fixtures/bus-app.js")],
      settings: { [fixture.DOOMED_QUEUE_SETTING]: "fixture-doomed" },
    });
    timers = timersOf(host);
  });
  afterAll(() => host.stop());

  it("runs a runOnStartup timer once when the host starts, not past due", async () => {
    await timers.idle();
    const runs = runsOf("fixtureOnStartup");
    expect(runs).toHaveLength(1);
    const nextNewYear = new Date(
      Date.UTC(new Date(host.clock.now()).getUTCFullYear() + 1, 0, 1),
    ).toISOString();
    expect(runs[0]).toMatchObject({
      isPastDue: false,
      schedule: { adjustForDST: true },
      scheduleStatus: { next: nextNewYear },
    });
  });

  it("fires a due timer once, past due, when the clock moves past it — however many occurrences it skipped", async () => {
    expect(runsOf("fixtureDaily")).toEqual([]);
    const next = timers.schedules().find((s) => s.name === "fixtureDaily")!.next!;
    expect(next).toMatch(/T03:30:00\.000Z$/);

    host.clock.advance(Math.max(0, Date.parse(next) - host.clock.now() - 1_000));
    await timers.idle();
    expect(runsOf("fixtureDaily")).toEqual([]); // not due yet

    host.clock.advance(24 * 3_600_000);
    await timers.idle();
    expect(runsOf("fixtureDaily")).toHaveLength(1);
    expect(runsOf("fixtureDaily")[0]).toMatchObject({ isPastDue: true, scheduleStatus: { next } });

    host.clock.advance(3 * 24 * 3_600_000);
    await timers.idle();
    expect(runsOf("fixtureDaily")).toHaveLength(2);
  });

  it("fire(name) runs a timer function at once, as the host's admin endpoint does", async () => {
    const before = runsOf("fixtureDaily").length;
    await timers.fire("fixtureDaily");
    expect(runsOf("fixtureDaily")).toHaveLength(before + 1);
    await expect(timers.fire("noSuchTimer")).rejects.toThrow(/noSuchTimer/);
  });
});
