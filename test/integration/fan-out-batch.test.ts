// The agents subscription takes its messages in batches (docs/events.md, "Delivery"): each event and agent starts
// once per batch and across redeliveries, an invalid envelope does not hold up the valid ones, the orgs of a batch
// stay apart, and a store outage mid-batch is redelivered to exactly one execution per event and agent.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { AgentBody } from "../support/agents-api";
import { agentsCaller, expectStatus } from "../support/agents-api";
import { bootDevHost } from "../support/devhost";
import type { ExecutionView } from "../support/executions";
import { busOf, listExecutions } from "../support/executions";
import { accessToken, bearer, createOrg, login } from "../support/identity";

/** Executions that wait an hour on their first step: they show at once and touch nothing meanwhile. */
const parkedAgent = (eventType: string) => ({
  name: `Parked on ${eventType}`,
  trigger: { event_type: eventType },
  steps: [{ id: "wait", type: "delay", seconds: 3600 }],
});

const eventOf = (orgId: string, type: string) => ({
  specversion: "1.0" as const,
  id: randomUUID(),
  source: "/test",
  type,
  time: new Date().toISOString(),
  datacontenttype: "application/json" as const,
  orgid: orgId,
  data: { n: 1 },
});

type Event = ReturnType<typeof eventOf>;

const triggerId = (execution: ExecutionView) => (execution.trigger_event as { id: string }).id;

describe("the agents fan-out over a batch of messages", () => {
  let host: DevHost;
  beforeAll(async () => {
    host = await bootDevHost();
  });
  afterAll(() => host?.stop());

  async function newOrg(...eventTypes: string[]) {
    const org = await createOrg(host);
    const token = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    const agents = agentsCaller(host, bearer(token));
    const created: AgentBody[] = [];
    for (const type of eventTypes) created.push(await expectStatus(agents.create(parkedAgent(type)), 201));
    return { orgId: org.orgId, token, agents: created };
  }

  /** Sends the messages while the bus holds them, then lets them go together: one batch for the agents function. */
  async function deliverTogether(send: (() => void)[]): Promise<void> {
    const bus = busOf(host);
    bus.pause();
    for (const message of send) message();
    bus.release();
    await bus.idle();
  }
  const publish = (event: Event) => () => void busOf(host).publish(busOf(host).topic, event);

  /** An agent's executions: the events that started one (sorted) and the duplicates it suppressed. */
  async function runsOf(token: string, agentId: string) {
    const listed = await listExecutions(host, token, `agent_id=${agentId}&limit=100`);
    const started = listed.filter((execution) => execution.status !== "deduplicated");
    return {
      started: started.map(triggerId).sort(),
      duplicates: listed.filter((execution) => execution.status === "deduplicated"),
      startedFor: (eventId: string) => started.find((execution) => triggerId(execution) === eventId),
    };
  }

  const ids = (...events: Event[]) => events.map((event) => event.id).sort();

  /** Every page of an agent's executions, counted. */
  async function countExecutions(token: string, agentId: string): Promise<number> {
    let count = 0;
    let continuation: string | null = null;
    do {
      const query: string = `agent_id=${agentId}&limit=100${continuation ? `&continuation=${encodeURIComponent(continuation)}` : ""}`;
      const response = await fetch(`${host.url}/api/executions?${query}`, { headers: bearer(token) });
      const page = (await response.json()) as { items: unknown[]; continuation: string | null };
      count += page.items.length;
      continuation = page.continuation;
    } while (continuation);
    return count;
  }

  it("starts one execution per agent for an event that is several times in one batch", async () => {
    const { orgId, token, agents } = await newOrg("batch.dup", "batch.dup");
    const [twice, once] = [eventOf(orgId, "batch.dup"), eventOf(orgId, "batch.dup")];
    await deliverTogether([publish(twice), publish(once), publish(twice), publish(twice)]);
    for (const agent of agents) {
      const runs = await runsOf(token, agent.id);
      expect(runs.started).toEqual(ids(twice, once));
      expect(runs.duplicates).toHaveLength(2);
      for (const duplicate of runs.duplicates)
        expect(duplicate.duplicate_of).toBe(runs.startedFor(twice.id)!.execution_id);
    }
  });

  it("starts the new events of a batch beside one an earlier batch already started", async () => {
    const { orgId, token, agents } = await newOrg("batch.again");
    const [agent] = agents;
    const [first, second, third] = [1, 2, 3].map(() => eventOf(orgId, "batch.again")) as [
      Event,
      Event,
      Event,
    ];
    await deliverTogether([publish(first)]);
    // The embedded Cosmos applies a batch up to its failing operation: `second`'s claim is written, `first`'s
    // conflicts, `third`'s is not tried. Claimed again one at a time, each still ends as it must.
    await deliverTogether([publish(second), publish(first), publish(third)]);
    const runs = await runsOf(token, agent!.id);
    expect(runs.started).toEqual(ids(first, second, third));
    expect(runs.duplicates.map(triggerId)).toEqual([first.id]);
  });

  it("records invalid envelopes among valid ones, completes them, and starts the valid ones", async () => {
    const { orgId, token, agents } = await newOrg("batch.mixed");
    const [before, after] = [eventOf(orgId, "batch.mixed"), eventOf(orgId, "batch.mixed")];
    const dropped = () =>
      host.logs.filter((entry) => entry.message.includes("invalid event envelope dropped")).length;
    const droppedBefore = dropped();
    await deliverTogether([
      publish(before),
      () =>
        void busOf(host).send(busOf(host).topic, {
          body: { specversion: "1.0", id: "no-type", orgid: orgId },
          applicationProperties: { type: "batch.mixed" },
        }),
      // Not JSON at all: bound as objects, it would fail the whole batch before the handler ran.
      () =>
        void busOf(host).send(busOf(host).topic, {
          body: "{not json",
          applicationProperties: { type: "batch.mixed" },
        }),
      publish(after),
    ]);
    expect(dropped() - droppedBefore).toBe(2);
    expect(busOf(host).deadLetters()).toEqual([]);
    expect((await runsOf(token, agents[0]!.id)).started).toEqual(ids(before, after));
  });

  it("keeps the events of two orgs in one batch in their own tenants", async () => {
    const first = await newOrg("batch.tenant");
    const second = await newOrg("batch.tenant");
    const firstEvents = [eventOf(first.orgId, "batch.tenant"), eventOf(first.orgId, "batch.tenant")];
    const secondEvents = [eventOf(second.orgId, "batch.tenant")];
    await deliverTogether([firstEvents[0]!, secondEvents[0]!, firstEvents[1]!].map(publish));

    expect((await runsOf(first.token, first.agents[0]!.id)).started).toEqual(ids(...firstEvents));
    expect((await runsOf(second.token, second.agents[0]!.id)).started).toEqual(ids(...secondEvents));
    // Each org sees only its own executions, and not the other's agent's.
    const everything = async (token: string) =>
      (await listExecutions(host, token, "limit=100")).map(triggerId);
    expect((await everything(first.token)).sort()).toEqual(ids(...firstEvents));
    expect((await everything(second.token)).sort()).toEqual(ids(...secondEvents));
    expect(await listExecutions(host, second.token, `agent_id=${first.agents[0]!.id}`)).toEqual([]);
  });

  it("costs one view stamp read and one batch of claims for a batch of an org's events once warm", async () => {
    const { orgId, token, agents } = await newOrg("batch.count");
    await deliverTogether([publish(eventOf(orgId, "batch.count"))]);
    // The least of three tries, so a devhost timer's own request landing in the window cannot fail the test.
    const requestsFor = async (events: number) => {
      const counts: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const before = host.cosmos!.requestCount;
        await deliverTogether(Array.from({ length: events }, () => publish(eventOf(orgId, "batch.count"))));
        counts.push(host.cosmos!.requestCount - before);
      }
      return Math.min(...counts);
    };
    expect(await requestsFor(10)).toBe(2);
    // 60 claims are 120 operations: two transactional batches (at most 100 operations each).
    expect(await requestsFor(60)).toBe(3);
    expect(await countExecutions(token, agents[0]!.id)).toBe(1 + 3 * 10 + 3 * 60);
  });

  it("starts exactly one execution per event and agent after a store outage mid-batch and its redelivery", async () => {
    const orgs = [await newOrg("batch.outage"), await newOrg("batch.outage")];
    const bus = busOf(host);
    const sent = new Map<string, Event[]>(orgs.map((org) => [org.orgId, []]));
    const send = (org: (typeof orgs)[number]) => {
      const event = eventOf(org.orgId, "batch.outage");
      sent.get(org.orgId)!.push(event);
      return publish(event);
    };
    // Warm: both orgs and their views cached, so the outage meets the stamp reads, the claims and the starts.
    await deliverTogether(orgs.map(send));
    const abandoned = () => host.logs.filter((entry) => entry.message.includes("batch abandoned")).length;
    const abandonedBefore = abandoned();
    // The outage begins after 0, 1, 2… more requests: at each point of the batch in turn.
    for (let served = 0; served < 5; served++) {
      bus.pause();
      for (const org of [...orgs, ...orgs]) send(org)();
      host.cosmos!.simulateOutage({ afterRequests: served });
      bus.release();
      // The batch is delivered once now; whatever it abandons is held until the store is back.
      bus.pause();
      await bus.idle();
      host.cosmos!.recover();
      bus.release();
      await bus.idle();
    }
    expect(abandoned()).toBeGreaterThan(abandonedBefore);
    expect(bus.deadLetters()).toEqual([]);
    for (const org of orgs) {
      const runs = await runsOf(org.token, org.agents[0]!.id);
      expect(runs.started).toEqual(ids(...sent.get(org.orgId)!));
    }
  }, 120_000);
});
