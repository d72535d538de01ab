// Durable timers as on the Azure Storage provider: none longer than 6 days; a 7-day approval gate waits through
// durable-functions' long-timer path (chained 3-day intervals) and times out only when 7 days have passed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DurableHandle } from "../../devhost/durable/extension";
import type { DevHost } from "../../devhost/host";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import { busOf, createAgent, userCreatedEvent, bootWithFakePsa } from "../support/executions";
import type { ExecutionView } from "../support/executions";

const DAY = 24 * 3600 * 1000;

describe("a 7-day approval gate", () => {
  let host: DevHost;
  let stop: () => Promise<void>;
  let owner: { email: string; password: string };
  let orgId: string;
  const token = async () => accessToken(host, await login(host, owner.email, owner.password), "agents");
  const durable = () => host.services.durable as DurableHandle;

  beforeAll(async () => {
    ({ host, stop } = await bootWithFakePsa());
    const org = await createOrg(host);
    orgId = org.orgId;
    owner = org.owner;
  });
  afterAll(() => stop());

  async function executionsOf(agentId: string): Promise<ExecutionView[]> {
    const response = await fetch(`${host.url}/api/executions?agent_id=${agentId}`, {
      headers: bearer(await token()),
    });
    return ((await response.json()) as { items: ExecutionView[] }).items;
  }

  /** Moves the clock, then waits until the bus and the engine have done everything that became due. */
  async function advance(ms: number) {
    host.clock.advance(ms);
    await durable().idle();
    await busOf(host).idle();
    await durable().idle();
  }

  it("waits in timers of at most 6 days and times out after 7 days on the moved clock", async () => {
    const agent = await createAgent(host, await token(), {
      name: "Week-long gate",
      trigger: {
        event_type: "hub.iam.user_created",
        filter: [{ path: "lastName", op: "eq", value: "Weeklong" }],
      },
      steps: [
        {
          id: "ask",
          type: "approval_gate",
          approvers: [{ email: "approver@example.com" }],
          message: "Proceed?",
          timeout_seconds: 7 * 24 * 3600,
          on_timeout: "reject",
        },
      ],
    });
    busOf(host).publish("the-one-bus", userCreatedEvent(orgId, "Weeklong"));
    let waiting: ExecutionView | undefined;
    while (!waiting) {
      await busOf(host).idle();
      waiting = (await executionsOf(agent.id)).find((e) => e.status === "waiting_for_approval");
    }
    const instanceId = waiting.execution_id;
    const timers = () =>
      durable()
        .get(instanceId)!
        .history.filter((e) => e.EventTypeName === "TimerCreated");
    const longest = () =>
      Math.max(...timers().map((e) => Date.parse(String(e.FireAt)) - Date.parse(String(e.Timestamp))));

    expect(timers()).toHaveLength(1);
    expect(longest()).toBeLessThanOrEqual(3 * DAY);

    await advance(3 * DAY + 1000);
    expect((await executionsOf(agent.id)).find((e) => e.execution_id === instanceId)?.status).toBe(
      "waiting_for_approval",
    );
    expect(timers().length).toBeGreaterThanOrEqual(2);

    await advance(3 * DAY);
    expect((await executionsOf(agent.id)).find((e) => e.execution_id === instanceId)?.status).toBe(
      "waiting_for_approval",
    );

    await advance(DAY);
    const done = await durable().waitFor(instanceId);
    expect(done.runtimeStatus).toBe("Completed");
    const view = (await executionsOf(agent.id)).find((e) => e.execution_id === instanceId)!;
    expect(view.status).toBe("rejected");
    expect(view.steps[0]).toMatchObject({ status: "rejected", decided_by: "system:timeout" });
    expect(longest()).toBeLessThanOrEqual(6 * DAY);
    expect(timers().length).toBeGreaterThanOrEqual(3);
  });
});
