// The durable client works against the devhost as against Azure: its binding, and the HTTP API at rpcBaseUrl.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BusHandle } from "../../devhost/bus/extension";
import type { TimersHandle } from "../../devhost/timers/extension";
import type { DurableTestHost } from "../support/durable";
import { bootDurableHost, eventsOf, uniqueId } from "../support/durable";

const WEBHOOKS = "/runtime/webhooks/durabletask";

describe("the durable client against the devhost", () => {
  let host: DurableTestHost;
  beforeAll(async () => {
    host = await bootDurableHost();
  });
  afterAll(() => host.stop());

  describe("start with an instance id", () => {
    it("refuses an id that is still running, as Durable does, and reuses it once finished", async () => {
      const id = uniqueId("singleton");
      await host.start("fxWaitForever", { instanceId: id });
      await host.durable.waitFor(id, (s) => s.runtimeStatus === "Running");

      const again = await host.client("start", { name: "fxWaitForever", instanceId: id });
      expect(again.status).toBe(409); // the fixture's answer to the client's rejection
      expect(((await again.json()) as { error: string }).error).toContain(
        "An Orchestration instance with the status Running already exists.",
      );
      const raw = await host.fetch(`${WEBHOOKS}/orchestrators/fxWaitForever/${id}`, { method: "POST" });
      expect(raw.status).toBe(500); // what the extension answers for DurableTask.AzureStorage's refusal
      expect(await raw.json()).toMatchObject({ ExceptionType: "System.InvalidOperationException" });

      expect((await host.client("terminate", { instanceId: id, reason: "replaced" })).status).toBe(202);
      const terminated = await host.durable.waitFor(id);
      expect(terminated).toMatchObject({ runtimeStatus: "Terminated", output: "replaced" });

      await host.start("fxWaitForever", { instanceId: id, input: "second run" });
      const reused = await host.durable.waitFor(id, (s) => s.runtimeStatus === "Running");
      expect(reused.input).toBe("second run");
      expect(eventsOf(reused, "ExecutionStarted")).toHaveLength(1);
      expect(eventsOf(reused, "ExecutionTerminated")).toEqual([]);
    });

    it("answers 400 for a function that is not an orchestrator", async () => {
      const response = await host.fetch(`${WEBHOOKS}/orchestrators/fxEcho`, { method: "POST" });
      expect(response.status).toBe(400);
    });
  });

  it("answers 404 to an event for an unknown instance, which the client reports", async () => {
    const raw = await host.fetch(`${WEBHOOKS}/instances/nobody-home/raiseEvent/Decision`, {
      method: "POST",
      body: "{}",
    });
    expect(raw.status).toBe(404);
    const viaClient = await host.client("raise", { instanceId: "nobody-home", event: "Decision", data: {} });
    expect(await viaClient.json()).toEqual({ error: "No instance with ID 'nobody-home' found." });
  });

  it("purges only finished instances, then forgets them", async () => {
    const id = uniqueId("purge");
    await host.start("fxWaitForever", { instanceId: id });
    await host.durable.waitFor(id, (s) => s.runtimeStatus === "Running");
    expect(await (await host.client("purge", { instanceId: id })).json()).toEqual({ instancesDeleted: 0 });
    expect(host.durable.get(id)?.runtimeStatus).toBe("Running");

    await host.client("terminate", { instanceId: id, reason: "done with it" });
    await host.durable.waitFor(id);
    expect(await (await host.client("purge", { instanceId: id })).json()).toEqual({ instancesDeleted: 1 });
    expect((await host.fetch(`${WEBHOOKS}/instances/${id}`)).status).toBe(404);
    expect((await host.fetch(`/dev/executions/${id}`)).status).toBe(404);
    expect((await host.fetch(`${WEBHOOKS}/instances/${id}/terminate`, { method: "POST" })).status).toBe(404);
  });

  it("purges by filter, leaving what does not match", async () => {
    const finished = await host.start("fxSequence");
    const running = await host.start("fxWaitForever");
    await host.durable.waitFor(finished);
    await host.durable.waitFor(running, (s) => s.runtimeStatus === "Running");
    const purge = await host.fetch(`${WEBHOOKS}/instances?runtimeStatus=Completed,Running`, {
      method: "DELETE",
    });
    expect(purge.status).toBe(200);
    expect(((await purge.json()) as { instancesDeleted: number }).instancesDeleted).toBeGreaterThanOrEqual(1);
    expect(host.durable.get(finished)).toBeUndefined();
    expect(host.durable.get(running)?.runtimeStatus).toBe("Running");
  });

  it("reports status with input, output, custom status and the readable history", async () => {
    const id = await host.start("fxApproval", { input: { timeoutSeconds: 60 } });
    await host.durable.waitFor(id, (s) => s.customStatus === "waiting");
    const running = await host.fetch(`${WEBHOOKS}/instances/${id}`);
    expect(running.status).toBe(202);
    expect(await running.json()).toMatchObject({
      name: "fxApproval",
      instanceId: id,
      runtimeStatus: "Running",
      input: { timeoutSeconds: 60 },
      customStatus: "waiting",
      output: null,
    });
    await host.raise(id, "Decision", "approve");
    await host.durable.waitFor(id);
    const viaClient = (await (await host.client("status", { instanceId: id })).json()) as Record<
      string,
      unknown
    >;
    expect(viaClient).toMatchObject({ runtimeStatus: "Completed", output: { decision: "approve" } });
    const raw = await host.fetch(`${WEBHOOKS}/instances/${id}?showHistory=true&showHistoryOutput=true`);
    expect(raw.status).toBe(200);
    const { historyEvents } = (await raw.json()) as { historyEvents: { EventType: string }[] };
    expect(historyEvents.map((event) => event.EventType)).toEqual([
      "ExecutionStarted",
      "TimerCreated",
      "EventRaised",
      "ExecutionCompleted",
    ]);
  });

  it("lists instances across pages", async () => {
    const ids = [uniqueId("list"), uniqueId("list"), uniqueId("list")];
    for (const id of ids) await host.start("fxSequence", { instanceId: id });
    for (const id of ids) await host.durable.waitFor(id);
    const listed = (await (await host.client("list", {})).json()) as { instanceId: string }[];
    expect(listed.map((status) => status.instanceId)).toEqual(expect.arrayContaining(ids));
    const firstPage = await host.fetch(`${WEBHOOKS}/instances?top=2&runtimeStatus=Completed`);
    expect((await firstPage.json()) as unknown[]).toHaveLength(2);
    expect(firstPage.headers.get("x-ms-continuation-token")).toBeTruthy();
  });

  it("hands out management links on the devhost's own port", async () => {
    const id = await host.start("fxSequence");
    await host.durable.waitFor(id);
    const payload = (await (await host.client("payload", { instanceId: id })).json()) as Record<
      string,
      string
    >;
    expect(payload.id).toBe(id);
    expect(payload.statusQueryGetUri!.startsWith(`${host.url}${WEBHOOKS}/instances/${id}?`)).toBe(true);
    const followed = await fetch(payload.statusQueryGetUri!);
    expect(await followed.json()).toMatchObject({ instanceId: id, runtimeStatus: "Completed" });
  });

  it("fills the durableClient input of functions that no HTTP request triggered", async () => {
    await (host.services.timers as TimersHandle).fire("fxTimerStarter");
    expect(await host.durable.waitFor("started-by-timer")).toMatchObject({ runtimeStatus: "Completed" });
    const instanceId = uniqueId("from-bus");
    (host.services.bus as BusHandle).send("fx-durable-starts", { body: { instanceId } });
    expect(await host.durable.waitFor(instanceId)).toMatchObject({ runtimeStatus: "Completed" });
  });

  it("shows an instance's state and raw history at GET /dev/executions/{id}", async () => {
    const id = await host.start("fxSequence");
    await host.durable.waitFor(id);
    const response = await host.fetch(`/dev/executions/${id}`);
    expect(response.status).toBe(200);
    const state = (await response.json()) as { runtimeStatus: string; history: { EventTypeName: string }[] };
    expect(state.runtimeStatus).toBe("Completed");
    expect(state.history.filter((e) => e.EventTypeName === "TaskCompleted")).toHaveLength(3);
  });
});
