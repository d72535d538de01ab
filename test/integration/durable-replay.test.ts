// The harder replay cases: the engine must number tasks exactly as durable-functions does, or orchestrators hang.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as ReplayFixture from "../fixtures/durable-replay-app";
import { builtModule } from "../support/devhost";
import type { DurableTestHost } from "../support/durable";
import { bootDurableHost, eventsOf, uniqueId } from "../support/durable";

describe("Durable replay on the devhost", () => {
  let host: DurableTestHost;
  beforeAll(async () => {
    host = await bootDurableHost();
  });
  afterAll(() => host.stop());

  it("numbers Task.all nested in Task.any depth-first, and a finished task yielded again schedules nothing", async () => {
    const id = await host.start("fxNested");
    const done = await host.durable.waitFor(id);
    expect(done).toMatchObject({ runtimeStatus: "Completed", output: { winner: "work", again: [1, 2] } });
    expect(eventsOf(done, "TaskScheduled").map((e) => e.EventId)).toEqual([0, 1]);
    expect(eventsOf(done, "TimerCreated").map((e) => e.EventId)).toEqual([2]);
    expect(done.pendingTimers).toEqual([]);
  });

  it("interleaves the retries of two calls inside one Task.all, on real-time timers", async () => {
    const key = uniqueId("fan");
    const id = await host.start("fxRetryFan", { input: key });
    // 50 ms then 100 ms retry waits: the clock is not moved, real time fires them.
    const done = await host.durable.waitFor(id);
    expect(done).toMatchObject({
      runtimeStatus: "Completed",
      output: ["succeeded on attempt 3", "succeeded on attempt 3"],
    });
    expect(eventsOf(done, "TaskFailed")).toHaveLength(4);
    const numbers = [...eventsOf(done, "TaskScheduled"), ...eventsOf(done, "TimerCreated")].map(
      (e) => e.EventId,
    );
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it("retries a failing sub-orchestration with a new child per attempt", async () => {
    const id = uniqueId("subretry");
    const key = uniqueId("child");
    await host.start("fxSubRetry", { instanceId: id, input: key });
    const done = await host.durable.waitFor(id);
    expect(done).toMatchObject({ runtimeStatus: "Completed", output: "succeeded on attempt 3" });
    const children = eventsOf(done, "SubOrchestrationInstanceCreated").map((e) => e.InstanceId!);
    expect(children).toEqual([`${id}:0`, `${id}:2`, `${id}:4`]);
    expect(children.map((child) => host.durable.get(child)?.runtimeStatus)).toEqual([
      "Failed",
      "Failed",
      "Completed",
    ]);
  });

  it("fails an orchestrator that throws with the error's message (all the library sends of it)", async () => {
    const id = await host.start("fxThrows");
    const done = await host.durable.waitFor(id);
    expect(done).toMatchObject({
      runtimeStatus: "Failed",
      output: "Orchestrator function 'fxThrows' failed: no agent snapshot",
      failureDetails: { ErrorMessage: "no agent snapshot" },
    });
  });

  it("fails an orchestrator whose replay no longer matches what it scheduled", async () => {
    const fickle = builtModule<typeof ReplayFixture>("test/fixtures/durable-replay-app.js").fickle;
    const id = await host.start("fxFickle");
    await host.durable.waitFor(id, (s) => eventsOf(s, "TaskCompleted").length === 1);
    await host.durable.idle();
    fickle.firstActivity = "fxRecord";
    try {
      await host.raise(id, "Next");
      const done = await host.durable.waitFor(id);
      expect(done.runtimeStatus).toBe("Failed");
      expect(done.output).toContain("Non-Deterministic workflow detected");
      expect(done.failureDetails).toMatchObject({ ErrorType: "NonDeterministicOrchestrationException" });
    } finally {
      fickle.firstActivity = "fxEcho";
    }
  });

  it("holds events and results while suspended, and carries on when resumed", async () => {
    const id = await host.start("fxSleepThenWait");
    await host.durable.waitFor(id, (s) => s.customStatus === "sleeping");
    const suspend = await host.fetch(`/runtime/webhooks/durabletask/instances/${id}/suspend?reason=hold`, {
      method: "POST",
    });
    expect(suspend.status).toBe(202);
    await host.durable.waitFor(id, (s) => s.runtimeStatus === "Suspended");
    host.clock.advance(60 * 60 * 1000);
    await host.raise(id, "Go", "after the pause");
    await host.durable.idle();
    expect(host.durable.get(id)).toMatchObject({ runtimeStatus: "Suspended", customStatus: "sleeping" });
    expect(host.durable.get(id)!.queued.map((q) => q.eventType)).toEqual(["TimerFired", "EventRaised"]);
    await host.fetch(`/runtime/webhooks/durabletask/instances/${id}/resume?reason=go`, { method: "POST" });
    expect(await host.durable.waitFor(id)).toMatchObject({
      runtimeStatus: "Completed",
      output: "after the pause",
    });
  });
});
