// The fan-out's cached agents view (docs/agents.md, "How an event finds its agents"): every change made through the
// API is seen by the very next event, and a warm event costs one point read plus one batch for its matched agents.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { AgentBody, AgentsCaller } from "../support/agents-api";
import { agentsCaller, expectStatus } from "../support/agents-api";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import {
  bootWithFakePsa,
  busOf,
  listExecutions,
  probeAgent,
  ticketAgent,
  userCreatedEvent,
  waitForExecutions,
} from "../support/executions";

const TOPIC = "the-one-bus";
const SYSTEM_ONBOARDING = "sys-onboard-new-user";

/** An agent whose executions wait an hour on their first step: they show at once and touch nothing meanwhile. */
const parkedAgent = (eventType: string) => ({
  name: `Parked on ${eventType}`,
  trigger: { event_type: eventType },
  steps: [{ id: "wait", type: "delay", seconds: 3600 }],
});

const event = (orgId: string, type: string) => ({
  ...userCreatedEvent(orgId),
  type,
  source: "/test",
});

describe("the fan-out's view of an org's agents", () => {
  let host: DevHost;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ host, stop } = await bootWithFakePsa());
  });
  afterAll(() => stop());

  async function newOrg() {
    const org = await createOrg(host);
    const token = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    return { orgId: org.orgId, token, agents: agentsCaller(host, bearer(token)) };
  }

  /** Publishes one event and resolves once every subscriber has handled it. */
  async function publish(orgId: string, type: string): Promise<void> {
    busOf(host).publish(TOPIC, event(orgId, type));
    await busOf(host).idle();
  }

  const executionsOf = async (token: string, agentId: string) =>
    (await listExecutions(host, token, `agent_id=${agentId}&limit=100`)).length;

  const etagOf = async (agents: AgentsCaller, id: string) => (await agents.get(id)).headers.get("etag")!;

  it("sees a pause, an activation, an edit and a delete on the very next event", async () => {
    const { orgId, token, agents } = await newOrg();
    const agent = await expectStatus(agents.create(parkedAgent("fanout.first")), 201);
    // The first event loads the view; each later one must see the change made just before it.
    await publish(orgId, "fanout.first");
    expect(await executionsOf(token, agent.id)).toBe(1);

    await expectStatus(agents.pause(agent.id), 200);
    await publish(orgId, "fanout.first");
    expect(await executionsOf(token, agent.id)).toBe(1);

    await expectStatus(agents.activate(agent.id), 200);
    await publish(orgId, "fanout.first");
    expect(await executionsOf(token, agent.id)).toBe(2);

    const edited = { ...parkedAgent("fanout.second"), name: "Edited" };
    await expectStatus(agents.replace(agent.id, edited, await etagOf(agents, agent.id)), 200);
    await publish(orgId, "fanout.first");
    expect(await executionsOf(token, agent.id)).toBe(2);
    await publish(orgId, "fanout.second");
    expect(await executionsOf(token, agent.id)).toBe(3);

    await expectStatus(agents.remove(agent.id), 204);
    await publish(orgId, "fanout.second");
    expect(await executionsOf(token, agent.id)).toBe(3);

    // A new agent of the org runs on the next event too.
    const added = await expectStatus<AgentBody>(agents.create(parkedAgent("fanout.second")), 201);
    await publish(orgId, "fanout.second");
    expect(await executionsOf(token, added.id)).toBe(1);
  });

  it("sees a system agent paused by the org on the very next event", async () => {
    const { orgId, token, agents } = await newOrg();
    busOf(host).publish(TOPIC, userCreatedEvent(orgId));
    await waitForExecutions(host, token, SYSTEM_ONBOARDING, 1);
    await expectStatus(agents.pause(SYSTEM_ONBOARDING), 200);
    busOf(host).publish(TOPIC, userCreatedEvent(orgId));
    await busOf(host).idle();
    expect(await executionsOf(token, SYSTEM_ONBOARDING)).toBe(1);
  });

  it("sees a credit budget set by the org on the very next event", async () => {
    const { orgId, token, agents } = await newOrg();
    await expectStatus(agents.pause(SYSTEM_ONBOARDING), 200);
    const agent = await expectStatus(agents.create(probeAgent("Budgeted")), 201);
    busOf(host).publish(TOPIC, userCreatedEvent(orgId, "Budgeted"));
    const [first] = await waitForExecutions(host, token, agent.id, 1);
    expect(first!.status).toBe("succeeded");
    // The one execution so far used the month's only credit: the next is skipped, if the fan-out knows the budget.
    const put = await fetch(`${host.url}/api/agents/budget`, {
      method: "PUT",
      headers: { ...bearer(token), "content-type": "application/json" },
      body: JSON.stringify({ monthly_credits: ticketAgent().steps.length, alert_percent: 100 }),
    });
    expect(put.status).toBe(200);
    busOf(host).publish(TOPIC, userCreatedEvent(orgId, "Budgeted"));
    const executions = await waitForExecutions(host, token, agent.id, 2);
    expect(executions.map((execution) => execution.status).sort()).toEqual(["skipped_budget", "succeeded"]);
  });

  it("costs one point read plus one batch for the claims of all its matched agents once warm", async () => {
    const { orgId, token, agents } = await newOrg();
    const matching = [
      await expectStatus(agents.create(parkedAgent("fanout.count")), 201),
      await expectStatus(agents.create(parkedAgent("fanout.count")), 201),
    ];
    await expectStatus(agents.create(parkedAgent("fanout.other")), 201);
    await publish(orgId, "fanout.count");

    // The least of three tries, so a devhost timer's own request landing in the window cannot fail the test.
    const requestsFor = async (type: string) => {
      const counts: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const before = host.cosmos!.requestCount;
        await publish(orgId, type);
        counts.push(host.cosmos!.requestCount - before);
      }
      return Math.min(...counts);
    };
    // The view stamp, then one transactional batch with both agents' dedup records and audit documents.
    expect(matching).toHaveLength(2);
    expect(await requestsFor("fanout.count")).toBe(2);
    expect(await requestsFor("fanout.none")).toBe(1);
    for (const agent of matching) expect(await executionsOf(token, agent.id)).toBe(4);
  });
});
