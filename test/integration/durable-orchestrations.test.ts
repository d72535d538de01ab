// The devhost's Durable engine runs the fixture orchestrations through durable-functions' own replay, as Azure does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Fixture from "../fixtures/durable-app";
import { builtModule } from "../support/devhost";
import type { DurableTestHost } from "../support/durable";
import { bootDurableHost, eventsOf, uniqueId } from "../support/durable";

const HOUR = 60 * 60 * 1000;

describe("Durable orchestrations on the devhost", () => {
  let host: DurableTestHost;
  let sideEffects: Map<string, number>;
  beforeAll(async () => {
    host = await bootDurableHost();
    // Only once the devhost loaded the fixture: requiring it earlier would register its functions nowhere.
    sideEffects = builtModule<typeof Fixture>("test/fixtures/durable-app.js").sideEffects;
  });
  afterAll(() => host.stop());

  describe("the approval race: waitForExternalEvent against a durable timer", () => {
    it("is won by the event, and the cancelled timer does not keep the instance alive", async () => {
      const id = await host.start("fxApproval", { input: { timeoutSeconds: 86_400 } });
      await host.durable.waitFor(id, (s) => s.customStatus === "waiting" && s.pendingTimers.length === 1);
      await host.raise(id, "Decision", { approved: true, by: "alice" });
      // No clock move: completing must not wait for the 24-hour timer the orchestrator cancelled.
      const done = await host.durable.waitFor(id);
      expect(done.runtimeStatus).toBe("Completed");
      expect(done.output).toMatchObject({ decision: { approved: true, by: "alice" } });
      expect(done.pendingTimers).toEqual([]);
      expect(eventsOf(done, "TimerFired")).toEqual([]);
    });

    it("is won by the timer once the clock crosses its 24 hours", async () => {
      const id = await host.start("fxApproval", { input: { timeoutSeconds: 86_400 } });
      const waiting = await host.durable.waitFor(id, (s) => s.pendingTimers.length === 1);
      const fireAt = Date.parse(waiting.pendingTimers[0]!.fireAt!);
      expect(fireAt - Date.parse(waiting.createdTime)).toBeGreaterThanOrEqual(86_400_000 - 1_000);
      host.clock.advance(24 * HOUR);
      const done = await host.durable.waitFor(id);
      expect(done.output).toMatchObject({ decision: "timeout" });
      expect(Date.parse((done.output as { decidedAt: string }).decidedAt)).toBeGreaterThanOrEqual(fireAt);
      // A decision after the gate closed reaches a finished instance: Durable answers 410 Gone.
      const late = await host.fetch(`/runtime/webhooks/durabletask/instances/${id}/raiseEvent/Decision`, {
        method: "POST",
        body: JSON.stringify({ approved: true }),
      });
      expect(late.status).toBe(410);
    });
  });

  it("buffers an event raised before the orchestrator waits for it, then delivers it", async () => {
    const id = await host.start("fxSleepThenWait");
    await host.durable.waitFor(id, (s) => s.customStatus === "sleeping");
    await host.raise(id, "Go", "raised early");
    await host.durable.idle();
    const asleep = host.durable.get(id)!;
    expect(asleep).toMatchObject({ runtimeStatus: "Running", customStatus: "sleeping" });
    expect(eventsOf(asleep, "EventRaised")).toHaveLength(1);
    host.clock.advance(HOUR);
    const done = await host.durable.waitFor(id);
    expect(done).toMatchObject({ runtimeStatus: "Completed", output: "raised early" });
  });

  it("retries a failing activity with the RetryOptions backoff until it succeeds", async () => {
    const key = uniqueId("flaky");
    const id = await host.start("fxRetry", { input: key });
    const failures = (count: number) =>
      host.durable.waitFor(
        id,
        (s) => eventsOf(s, "TaskFailed").length === count && s.pendingTimers.length === 1,
      );
    const afterFirst = await failures(1);
    const firstWait =
      Date.parse(afterFirst.pendingTimers[0]!.fireAt!) -
      Date.parse(eventsOf(afterFirst, "TaskFailed")[0]!.Timestamp);
    expect(firstWait).toBeGreaterThanOrEqual(60_000);
    expect(firstWait).toBeLessThan(65_000);
    host.clock.advance(60_000);
    const afterSecond = await failures(2);
    const secondWait =
      Date.parse(afterSecond.pendingTimers[0]!.fireAt!) -
      Date.parse(eventsOf(afterSecond, "TaskFailed")[1]!.Timestamp);
    expect(secondWait).toBeGreaterThanOrEqual(120_000); // backoffCoefficient 2
    expect(secondWait).toBeLessThan(125_000);
    host.clock.advance(120_000);
    const done = await host.durable.waitFor(id);
    expect(done).toMatchObject({ runtimeStatus: "Completed", output: "succeeded on attempt 3" });
    expect(sideEffects.get(key)).toBe(3);
    // Attempts and the waits between them take sequence numbers in turn, as the library replays them.
    expect(eventsOf(done, "TaskScheduled").map((e) => e.EventId)).toEqual([0, 2, 4]);
    expect(eventsOf(done, "TimerCreated").map((e) => e.EventId)).toEqual([1, 3]);
  });

  describe("failures keep their details", () => {
    it("fails the orchestration with the activity's error type, message and stack", async () => {
      const id = await host.start("fxFails");
      const done = await host.durable.waitFor(id);
      expect(done.runtimeStatus).toBe("Failed");
      expect(done.output).toBe("Orchestrator function 'fxFails' failed: CardDeclinedError: card declined");
      const [taskFailed] = eventsOf(done, "TaskFailed");
      expect(taskFailed!.FailureDetails).toMatchObject({
        ErrorType: "CardDeclinedError",
        ErrorMessage: "card declined",
      });
      expect(taskFailed!.FailureDetails!.StackTrace).toContain("chargeCard");
      expect(done.failureDetails!.InnerFailure).toMatchObject({ ErrorType: "CardDeclinedError" });
      const status = await host.fetch(`/runtime/webhooks/durabletask/instances/${id}?showHistory=true`);
      const { historyEvents } = (await status.json()) as { historyEvents: Record<string, unknown>[] };
      expect(historyEvents.find((e) => e.EventType === "TaskFailed")).toMatchObject({
        FunctionName: "fxBoom",
        Reason: "card declined",
        FailureDetails: { ErrorType: "CardDeclinedError" },
      });
    });

    it("hands the orchestrator a TaskFailedError carrying the same details", async () => {
      const id = await host.start("fxCatches");
      const done = await host.durable.waitFor(id);
      expect(done.runtimeStatus).toBe("Completed");
      const caught = done.output as { message: string; details: Record<string, unknown>; stack: string };
      expect(caught.message).toBe("CardDeclinedError: card declined");
      expect(caught.details).toMatchObject({ errorType: "CardDeclinedError", errorMessage: "card declined" });
      expect(caught.stack).toContain("chargeCard");
    });
  });

  it("fans out to 20 activities at once and fans back in", async () => {
    const id = await host.start("fxFanOut", { input: 20 });
    const done = await host.durable.waitFor(id);
    expect(done).toMatchObject({ runtimeStatus: "Completed", output: { count: 20, sum: 190 } });
    const scheduled = eventsOf(done, "TaskScheduled");
    expect(scheduled.map((e) => e.EventId)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // All twenty were scheduled by the first episode, before its OrchestratorCompleted.
    const firstEpisodeEnd = done.history.findIndex((e) => e.EventTypeName === "OrchestratorCompleted");
    expect(
      done.history.slice(0, firstEpisodeEnd).filter((e) => e.EventTypeName === "TaskScheduled"),
    ).toHaveLength(20);
    expect(eventsOf(done, "TaskCompleted")).toHaveLength(20);
  });

  it("runs each scheduled activity exactly once although the orchestrator replays many times", async () => {
    const id = uniqueId("replay");
    await host.start("fxSideEffects", { instanceId: id });
    const done = await host.durable.waitFor(id);
    expect(done).toMatchObject({ runtimeStatus: "Completed", output: "done" });
    const keys = [...sideEffects.keys()].filter((key) => key.startsWith(`${id}/`));
    expect(keys.sort()).toEqual(
      [0, 1, 2].map((i) => `${id}/fan${i}`).concat([0, 1, 2, 3, 4].map((i) => `${id}/step${i}`)),
    );
    for (const key of keys) expect(sideEffects.get(key)).toBe(1);
    expect(done.episodes).toBeGreaterThanOrEqual(9);
  });

  it("runs sub-orchestrations, their results and their failures reaching the parent", async () => {
    const id = uniqueId("parent");
    await host.start("fxParent", { instanceId: id });
    const done = await host.durable.waitFor(id);
    expect(done.runtimeStatus).toBe("Completed");
    const output = done.output as { child: unknown; childFailure: string };
    expect(output.child).toEqual({ doubled: 42, parent: id });
    expect(output.childFailure).toContain("card declined");
    expect(host.durable.get(`${id}:0`)).toMatchObject({ runtimeStatus: "Completed", parentInstanceId: id });
    expect(host.durable.get(`${id}-failing-child`)).toMatchObject({
      runtimeStatus: "Failed",
      parentInstanceId: id,
    });
  });

  it("continues as new with a fresh history until the orchestrator returns", async () => {
    const id = uniqueId("count");
    await host.start("fxCountUp", { instanceId: id, input: 0 });
    const done = await host.durable.waitFor(id);
    expect(done).toMatchObject({ runtimeStatus: "Completed", output: 3, input: 3 });
    for (const generation of [0, 1, 2, 3]) expect(sideEffects.get(`${id}/gen${generation}`)).toBe(1);
    expect(eventsOf(done, "ExecutionStarted")).toHaveLength(1);
    expect(eventsOf(done, "TaskScheduled")).toHaveLength(1);
  });

  it("keeps an instance running while a timer it did not cancel is pending, as Durable does", async () => {
    const id = await host.start("fxForgetfulTimer");
    await host.durable.waitFor(id, (s) => s.pendingTimers.length === 1);
    await host.raise(id, "Ping");
    await host.durable.idle();
    expect(host.durable.get(id)).toMatchObject({ runtimeStatus: "Running" });
    host.clock.advance(HOUR);
    expect(await host.durable.waitFor(id)).toMatchObject({ runtimeStatus: "Completed", output: "pinged" });
  });
});
