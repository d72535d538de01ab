// Events fan out into Durable executions: product calls, dedup, retries, failures, permissions and credits (docs/events.md and docs/executions.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { FakeProduct } from "../support/fake-product";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import {
  busOf,
  createAgent,
  ticketAgent,
  probeAgent,
  userCreatedEvent,
  waitForExecutions,
  bootWithFakePsa,
} from "../support/executions";

const TOPIC = "the-one-bus";

describe("agent executions", () => {
  let host: DevHost;
  let psa: FakeProduct;
  let stop: () => Promise<void>;
  let orgId: string;
  let admin: string;
  let otherOrgAdmin: string;
  let agentId: string;

  beforeAll(async () => {
    ({ host, psa, stop } = await bootWithFakePsa());
    const org = await createOrg(host);
    orgId = org.orgId;
    admin = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    const other = await createOrg(host);
    otherOrgAdmin = await accessToken(
      host,
      await login(host, other.owner.email, other.owner.password),
      "agents",
    );
    // The system onboarding agent reacts to the same event; pausing it keeps PSA's call log about our agent.
    await fetch(`${host.url}/api/agents/sys-onboard-new-user/pause`, {
      method: "POST",
      headers: bearer(admin),
    });
    agentId = (await createAgent(host, admin, probeAgent("Lovelace"))).id;
  });
  afterAll(() => stop());

  const callsFor = (executionId: string) =>
    psa.calls.filter((call) => call.headers["x-agent-execution-id"] === executionId);
  const publish = (event: ReturnType<typeof userCreatedEvent>) => busOf(host).publish(TOPIC, event);

  it("runs the example agent for a new user: a PSA ticket, with a complete audit log", async () => {
    const event = userCreatedEvent(orgId);
    publish(event);
    const [execution] = await waitForExecutions(host, admin, agentId, 1);
    expect(execution).toMatchObject({
      agent_id: agentId,
      org_id: orgId,
      status: "succeeded",
      credits_used: 1,
      actor: { type: "agent", agent_id: agentId },
      trigger_event: event,
      created_at: expect.any(String),
      completed_at: expect.any(String),
    });
    expect(execution!.steps).toEqual([
      expect.objectContaining({
        step_id: "open-ticket",
        type: "product_action",
        status: "succeeded",
        inputs: {
          product: "psa",
          action: "create_ticket",
          params: {
            title: "Set up Ada Lovelace",
            description: "New member: new.hire@example.com",
            priority: "normal",
          },
        },
        outputs: expect.objectContaining({ status: 200, body: expect.objectContaining({ ok: true }) }),
        credits_used: 1,
        started_at: expect.any(String),
        completed_at: expect.any(String),
        duration_ms: expect.any(Number),
        context_after: { ticket: expect.objectContaining({ ok: true }) },
      }),
    ]);
    expect(execution!.context).toEqual({ ticket: expect.objectContaining({ ok: true }) });
    const [call] = callsFor(execution!.execution_id);
    expect(call).toMatchObject({
      method: "POST",
      path: "/tickets",
      body: { title: "Set up Ada Lovelace", priority: "normal" },
    });
    // PSA asked Hub about the key it was sent: the org's Hub-issued psa service key.
    expect(call!.introspection).toMatchObject({
      active: true,
      token_type: "integration_key",
      kind: "service",
      product: "psa",
      org_id: orgId,
    });
  });

  it("suppresses the same event within 5 minutes, with a dedup entry, and runs it again after the window", async () => {
    const agent = (await createAgent(host, admin, probeAgent("Dedup"))).id;
    const event = userCreatedEvent(orgId, "Dedup");
    publish(event);
    const [first] = await waitForExecutions(host, admin, agent, 1);
    host.clock.advance(4 * 60 * 1000);
    publish(event);
    const afterDuplicate = await waitForExecutions(host, admin, agent, 2);
    const duplicate = afterDuplicate.find((execution) => execution.status === "deduplicated");
    expect(duplicate).toMatchObject({ duplicate_of: first!.execution_id, trigger_event: { id: event.id } });
    expect(callsFor(first!.execution_id)).toHaveLength(1);

    const listed = await fetch(`${host.url}/api/executions?status=deduplicated&agent_id=${agent}`, {
      headers: bearer(admin),
    });
    expect(((await listed.json()) as { items: unknown[] }).items).toHaveLength(1);

    host.clock.advance(2 * 60 * 1000);
    publish(event);
    const all = await waitForExecutions(host, admin, agent, 3);
    const runs = all.filter((execution) => execution.status === "succeeded");
    expect(runs).toHaveLength(2);
    expect(new Set(runs.map((execution) => execution.execution_id)).size).toBe(2);
  });

  it("starts exactly one execution and makes one product call per event when every message arrives twice, out of order", async () => {
    const agent = (await createAgent(host, admin, probeAgent("Redelivery"))).id;
    const events = [1, 2, 3].map(() => userCreatedEvent(orgId, "Redelivery"));
    const bus = busOf(host);
    bus.pause();
    events.forEach(publish);
    bus.release({ duplicate: true, reverse: true });
    const executions = await waitForExecutions(host, admin, agent, 3);
    const ran = executions.filter((execution) => execution.status !== "deduplicated");
    expect(ran.map((execution) => (execution.trigger_event as { id: string }).id).sort()).toEqual(
      events.map((e) => e.id).sort(),
    );
    for (const execution of ran) {
      expect(execution.status).toBe("succeeded");
      expect(callsFor(execution.execution_id)).toHaveLength(1);
    }
  });

  it("retries a finished execution as a new one that bypasses dedup", async () => {
    const agent = (await createAgent(host, admin, probeAgent("Retry"))).id;
    publish(userCreatedEvent(orgId, "Retry"));
    const [original] = await waitForExecutions(host, admin, agent, 1);
    const response = await fetch(`${host.url}/api/executions/${original!.execution_id}/retry`, {
      method: "POST",
      headers: bearer(admin),
    });
    expect(response.status).toBe(202);
    const retry = (await response.json()) as { execution_id: string; retry_of: string };
    expect(retry.retry_of).toBe(original!.execution_id);
    const both = await waitForExecutions(host, admin, agent, 2);
    expect(both.find((execution) => execution.execution_id === retry.execution_id)).toMatchObject({
      status: "succeeded",
      retry_of: original!.execution_id,
    });
    expect(callsFor(retry.execution_id)).toHaveLength(1);
  });

  it("waits out a 429 as Retry-After says, then succeeds", async () => {
    const agent = (await createAgent(host, admin, probeAgent("Throttle"))).id;
    psa.answerNext({ path: "/tickets", status: 429, headers: { "retry-after": "1" } });
    publish(userCreatedEvent(orgId, "Throttle"));
    const [execution] = await waitForExecutions(host, admin, agent, 1);
    expect(execution).toMatchObject({ status: "succeeded" });
    expect(execution!.steps[0]!.outputs).toMatchObject({ attempts: 2 });
    const [first, second] = callsFor(execution!.execution_id);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it("fails the execution on a 400, with the product's reason in the trace and the later steps skipped", async () => {
    const agent = (
      await createAgent(
        host,
        admin,
        probeAgent("Rejected", {
          steps: [
            ...ticketAgent().steps,
            {
              id: "note",
              type: "product_action",
              product: "psa",
              action: "add_note",
              params: { ticket_id: "{{context.ticket.id}}", body: "hello" },
            },
          ],
        }),
      )
    ).id;
    psa.answerNext({ path: "/tickets", status: 400, body: { error: "title too long" } });
    publish(userCreatedEvent(orgId, "Rejected"));
    const [execution] = await waitForExecutions(host, admin, agent, 1);
    expect(execution).toMatchObject({
      status: "failed",
      credits_used: 0,
      error: expect.stringContaining("400"),
    });
    expect(execution!.steps[0]).toMatchObject({
      step_id: "open-ticket",
      status: "failed",
      reason: expect.stringMatching(/400.*title too long/),
    });
    expect(execution!.steps[1]).toMatchObject({ step_id: "note", status: "skipped" });
    expect(callsFor(execution!.execution_id)).toHaveLength(1);
  });

  it("hides an org's executions from another org", async () => {
    const agent = (await createAgent(host, admin, probeAgent("Hidden"))).id;
    publish(userCreatedEvent(orgId, "Hidden"));
    const [execution] = await waitForExecutions(host, admin, agent, 1);
    const direct = await fetch(`${host.url}/api/executions/${execution!.execution_id}`, {
      headers: bearer(otherOrgAdmin),
    });
    expect(direct.status).toBe(404);
    const listed = await fetch(`${host.url}/api/executions?limit=100`, { headers: bearer(otherOrgAdmin) });
    expect(((await listed.json()) as { items: unknown[] }).items).toEqual([]);
    const retry = await fetch(`${host.url}/api/executions/${execution!.execution_id}/retry`, {
      method: "POST",
      headers: bearer(otherOrgAdmin),
    });
    expect(retry.status).toBe(404);
  });

  it("charges every credit to the ledger: usage adds up to the executions", async () => {
    const agent = (await createAgent(host, admin, probeAgent("Charged"))).id;
    publish(userCreatedEvent(orgId, "Charged"));
    const [own] = await waitForExecutions(host, admin, agent, 1);
    expect(own).toMatchObject({ status: "succeeded", credits_used: 1 });
    // Whatever else this file ran is finished too (the bus and Durable are idle), so the totals are final.
    const all = await fetch(`${host.url}/api/executions?limit=100`, { headers: bearer(admin) });
    const executions = ((await all.json()) as { items: { credits_used: number; created_at: string }[] })
      .items;
    const charged = executions.reduce((sum, execution) => sum + execution.credits_used, 0);
    expect(charged).toBeGreaterThan(0);
    const days = executions.map((execution) => execution.created_at.slice(0, 10)).sort();
    const response = await fetch(`${host.url}/api/usage?from=${days[0]}&to=${days.at(-1)}`, {
      headers: bearer(admin),
    });
    expect(response.status).toBe(200);
    const usage = (await response.json()) as {
      total_credits: number;
      by_agent_and_day: { agent_id: string; credits: number }[];
    };
    expect(usage.total_credits).toBe(charged);
    expect(usage.by_agent_and_day.filter((row) => row.agent_id === agent)).toEqual([
      expect.objectContaining({ credits: 1 }),
    ]);
  });
});
