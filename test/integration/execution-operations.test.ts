// Execution operations through HTTP, the bus, the fake PSA and the outbox: dry runs, cancel, redrive, credit budgets (docs/executions.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { FakeProduct } from "../support/fake-product";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import {
  bootWithFakePsa,
  busOf,
  createAgent,
  probeAgent,
  ticketAgent,
  userCreatedEvent,
  waitForExecutions,
  listExecutions,
} from "../support/executions";
import type { ExecutionView } from "../support/executions";
import { decideByLink, durableOf, linkFor, openGate, outboxOf, waitForStatus } from "../support/approvals";

const TOPIC = "the-one-bus";
const today = () => new Date().toISOString().slice(0, 10);

describe("execution operations", () => {
  let host: DevHost;
  let psa: FakeProduct;
  let stop: () => Promise<void>;
  let orgId: string;
  let owner: { email: string; password: string };
  let admin: string;

  const post = (path: string, body?: unknown, token = admin) =>
    fetch(`${host.url}${path}`, {
      method: "POST",
      headers: { ...bearer(token), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const callsFor = (executionId: string) =>
    psa.calls.filter((call) => call.headers["x-agent-execution-id"] === executionId);
  const usageToday = async (token = admin) => {
    const response = await fetch(`${host.url}/api/usage?from=${today()}&to=${today()}`, {
      headers: bearer(token),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as {
      total_credits: number;
      by_agent_and_day: { agent_id: string; credits: number }[];
      budget: Record<string, unknown>;
    };
  };

  beforeAll(async () => {
    ({ host, psa, stop } = await bootWithFakePsa());
    const org = await createOrg(host);
    orgId = org.orgId;
    owner = org.owner;
    admin = await accessToken(host, await login(host, owner.email, owner.password), "agents");
    // The system onboarding agent reacts to the same events; pausing it keeps PSA's call log about our agents.
    await post("/api/agents/sys-onboard-new-user/pause");
  });
  afterAll(() => stop());

  describe("dry runs", () => {
    const threeKinds = (lastName: string) =>
      probeAgent(lastName, {
        steps: [
          {
            id: "ask",
            type: "approval_gate",
            approvers: [{ email: "boss@example.com" }],
            message: "Onboard {{trigger.data.firstName}}?",
          },
          ...ticketAgent().steps,
          {
            id: "tell",
            type: "notification",
            channel: "email",
            to: ["it@example.com", "{{trigger.data.email}}"],
            subject: "Welcome {{trigger.data.firstName}}",
            message: "Ticket for {{trigger.data.firstName}} {{trigger.data.lastName}}",
          },
        ],
      });

    it("renders the product request and the messages, asks nobody, calls nothing, sends nothing, charges nothing", async () => {
      const agent = await createAgent(host, admin, threeKinds("DryRun"));
      const callsBefore = psa.calls.length;
      const outboxBefore = outboxOf(host).list().length;
      const usageBefore = await usageToday();
      const event = userCreatedEvent(orgId, "DryRun");
      const response = await post(`/api/agents/${agent.id}/test-runs`, {
        event: { type: event.type, data: event.data },
      });
      expect(response.status).toBe(201);
      const run = (await response.json()) as ExecutionView;
      expect(run).toMatchObject({ mode: "dry_run", assume: "approve", status: "succeeded", credits_used: 0 });
      const [ask, ticket, tell] = run.steps;
      expect(ask).toMatchObject({
        status: "succeeded",
        decided_by: "system:dry_run",
        outputs: { would_ask: [{ email: "boss@example.com" }], message: "Onboard Ada?", assumed: "approve" },
        credits_used: 0,
      });
      expect(ticket).toMatchObject({
        status: "succeeded",
        credits_used: 0,
        outputs: {
          would_send: {
            method: "POST",
            url: `${psa.url}/tickets`,
            headers: expect.objectContaining({
              accept: "application/json",
              "content-type": "application/json",
              "x-agent-execution-id": run.execution_id,
            }),
            body: {
              title: "Set up Ada DryRun",
              description: "New member: new.hire@example.com",
              priority: "normal",
            },
          },
        },
      });
      const headers = (ticket!.outputs as { would_send: { headers: Record<string, string> } }).would_send
        .headers;
      expect(headers["x-integration-key"]).not.toMatch(/^ik_/);
      expect(JSON.stringify(run)).not.toMatch(/ik_(live|test)_/);
      expect(tell).toMatchObject({
        status: "succeeded",
        credits_used: 0,
        outputs: {
          would_send: [
            { channel: "email", to: "it@example.com", subject: "Welcome Ada", text: "Ticket for Ada DryRun" },
            {
              channel: "email",
              to: "new.hire@example.com",
              subject: "Welcome Ada",
              text: "Ticket for Ada DryRun",
            },
          ],
        },
      });

      await durableOf(host).idle();
      expect(psa.calls.length).toBe(callsBefore);
      expect(outboxOf(host).list().length).toBe(outboxBefore);
      expect((await usageToday()).total_credits).toBe(usageBefore.total_credits);
      const approvals = await fetch(`${host.url}/api/approvals?status=pending`, { headers: bearer(admin) });
      expect(JSON.stringify(await approvals.json())).not.toContain(run.execution_id);

      // Listed only among dry runs.
      expect((await listExecutions(host, admin, `agent_id=${agent.id}`)).length).toBe(0);
      const dry = await listExecutions(host, admin, `agent_id=${agent.id}&mode=dry_run`);
      expect(dry.map((execution) => execution.execution_id)).toEqual([run.execution_id]);
    });

    it("resolves gates as assumed: a rejection skips the rest", async () => {
      const agent = await createAgent(host, admin, threeKinds("DryReject"));
      const response = await post(`/api/agents/${agent.id}/test-runs`, {
        event: { type: "hub.iam.user_created", data: userCreatedEvent(orgId, "DryReject").data },
        assume: "reject",
      });
      const run = (await response.json()) as ExecutionView;
      expect(run.status).toBe("rejected");
      expect(run.steps.map((step) => step.status)).toEqual(["rejected", "skipped", "skipped"]);
    });

    it("replays a past execution's trigger event, and tries an unsaved agent validated as on create", async () => {
      const agent = await createAgent(host, admin, probeAgent("Replay"));
      const event = userCreatedEvent(orgId, "Replay");
      busOf(host).publish(TOPIC, event);
      const [live] = await waitForExecutions(host, admin, agent.id, 1);
      const callsBefore = psa.calls.length;

      const replay = await post(`/api/agents/${agent.id}/test-runs`, { execution_id: live!.execution_id });
      expect(replay.status).toBe(201);
      const replayed = (await replay.json()) as ExecutionView;
      expect(replayed).toMatchObject({ mode: "dry_run", status: "succeeded", trigger_event: event });

      const unsaved = await post("/api/agents/test-runs", {
        agent: ticketAgent({ name: "Not saved" }),
        event: { type: "hub.iam.user_created", data: event.data },
      });
      expect(unsaved.status).toBe(201);
      expect(((await unsaved.json()) as ExecutionView).steps[0]).toMatchObject({
        outputs: { would_send: { method: "POST", url: `${psa.url}/tickets` } },
      });
      await durableOf(host).idle();
      expect(psa.calls.length).toBe(callsBefore);

      const invalid = await post("/api/agents/test-runs", {
        agent: { ...ticketAgent(), steps: [] },
        event: { type: "hub.iam.user_created", data: {} },
      });
      expect(invalid.status).toBe(422);
      const both = await post(`/api/agents/${agent.id}/test-runs`, {
        execution_id: live!.execution_id,
        event: { type: "x", data: {} },
      });
      expect(both.status).toBe(422);
    });
  });

  describe("cancel", () => {
    it("stops a waiting execution: links answer 410, the rest is skipped with who cancelled, nothing more runs", async () => {
      const { agentId, executionId } = await openGate(host, () => admin, orgId, "Cancel", {
        approvers: [{ email: "boss@example.com" }],
      });
      const link = linkFor(host, executionId, "boss@example.com");
      expect((await fetch(link)).status).toBe(200);

      const response = await post(`/api/executions/${executionId}/cancel`, { reason: "wrong person" });
      expect(response.status).toBe(200);
      const cancelled = (await response.json()) as ExecutionView;
      expect(cancelled).toMatchObject({ status: "cancelled", cancel_reason: "wrong person" });
      expect(cancelled.cancelled_by).toEqual(expect.any(String));
      for (const step of cancelled.steps) {
        expect(step.status).toBe("skipped");
        expect(step.reason).toContain(`cancelled by ${String(cancelled.cancelled_by)}`);
      }

      expect((await fetch(link)).status).toBe(410);
      expect((await decideByLink(link, "approve")).status).toBe(410);
      await durableOf(host).idle();
      await busOf(host).idle();
      expect(callsFor(executionId)).toHaveLength(0);
      const after = await waitForStatus(host, () => admin, agentId, ["cancelled"]);
      expect(after.steps.map((step) => step.status)).toEqual(["skipped", "skipped"]);

      // Idempotent: the same answer again, not a second cancellation.
      const again = await post(`/api/executions/${executionId}/cancel`);
      expect(again.status).toBe(200);
      expect(((await again.json()) as ExecutionView).cancelled_at).toBe(cancelled.cancelled_at);
    });

    it("refuses a finished execution (409) and an unknown id (404)", async () => {
      const agent = await createAgent(host, admin, probeAgent("Finished"));
      busOf(host).publish(TOPIC, userCreatedEvent(orgId, "Finished"));
      const [done] = await waitForExecutions(host, admin, agent.id, 1);
      expect((await post(`/api/executions/${done!.execution_id}/cancel`)).status).toBe(409);
      expect((await post(`/api/executions/ex_nope/cancel`)).status).toBe(404);
    });
  });

  describe("redrive", () => {
    it("resumes a failed execution at the failed step with the saved context; earlier product calls happen once", async () => {
      const agent = await createAgent(
        host,
        admin,
        probeAgent("Redrive", {
          steps: [
            ...ticketAgent().steps,
            {
              id: "note",
              type: "product_action",
              product: "psa",
              action: "add_note",
              params: { ticket_id: "{{context.ticket.id}}", body: "hello" },
            },
            {
              id: "tell",
              type: "notification",
              channel: "email",
              to: ["it@example.com"],
              message: "Ticket {{context.ticket.id}} ready",
            },
          ],
        }),
      );
      psa.answerNext({ path: "/tickets/obj-", status: 400, body: { error: "ticket locked" } });
      busOf(host).publish(TOPIC, userCreatedEvent(orgId, "Redrive"));
      const [failed] = await waitForExecutions(host, admin, agent.id, 1);
      expect(failed!.steps.map((step) => step.status)).toEqual(["succeeded", "failed", "skipped"]);
      const [created, refused] = callsFor(failed!.execution_id);
      expect(created).toMatchObject({ method: "POST", path: "/tickets" });

      const response = await post(`/api/executions/${failed!.execution_id}/redrive`);
      expect(response.status).toBe(202);
      const redrive = (await response.json()) as {
        execution_id: string;
        redrive_of: string;
        from_step: string;
      };
      expect(redrive).toMatchObject({ redrive_of: failed!.execution_id, from_step: "note" });
      const both = await waitForExecutions(host, admin, agent.id, 2);
      const resumed = both.find((execution) => execution.execution_id === redrive.execution_id)!;
      expect(resumed).toMatchObject({
        status: "succeeded",
        redrive_of: failed!.execution_id,
        credits_used: 2,
      });
      expect(resumed.steps[0]).toMatchObject({ status: "succeeded", carried_from: failed!.execution_id });
      expect(resumed.steps.slice(1).map((step) => step.status)).toEqual(["succeeded", "succeeded"]);

      // The redrive called only the note, on the ticket the first run created; the ticket was created once.
      const redriveCalls = callsFor(redrive.execution_id);
      expect(redriveCalls.map((call) => `${call.method} ${call.path}`)).toEqual([`POST ${refused!.path}`]);
      const ticketCalls = [...callsFor(failed!.execution_id), ...redriveCalls].filter(
        (c) => c.path === "/tickets",
      );
      expect(ticketCalls).toHaveLength(1);
      const ticketId = (resumed.context as { ticket: { id: string } }).ticket.id;
      expect(refused!.path).toBe(`/tickets/${ticketId}/notes`);
      const [message] = outboxOf(host)
        .list({ to: "it@example.com" })
        .filter((m) => m.idempotency_key.startsWith(`${redrive.execution_id}:`));
      expect(message!.text).toBe(`Ticket ${ticketId} ready`);

      // Only failed executions are redriven.
      expect((await post(`/api/executions/${redrive.execution_id}/redrive`)).status).toBe(409);
    });
  });

  describe("credit budgets", () => {
    it("never charges more than the cap plus one execution under parallel events, skips the rest, alerts once", async () => {
      const org = await createOrg(host);
      const token = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
      await post("/api/agents/sys-onboard-new-user/pause", undefined, token);
      const put = await fetch(`${host.url}/api/agents/budget`, {
        method: "PUT",
        headers: { ...bearer(token), "content-type": "application/json" },
        body: JSON.stringify({ monthly_credits: 5, alert_percent: 60 }),
      });
      expect(put.status).toBe(200);
      expect(await put.json()).toMatchObject({ monthly_credits: 5, alert_percent: 60, remaining_credits: 5 });
      // Two product actions: 2 credits an execution.
      const twoCredits = probeAgent("Budget", {
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
      });
      const agent = await createAgent(host, token, twoCredits);
      const bus = busOf(host);
      bus.pause();
      for (let n = 0; n < 10; n++) bus.publish(TOPIC, userCreatedEvent(org.orgId, "Budget"));
      bus.release();
      const executions = await waitForExecutions(host, token, agent.id, 10);
      // An execution shows its final status before its finish activity settles the budget: wait for every activity.
      await durableOf(host).idle();

      const usage = await usageToday(token);
      const charged = usage.by_agent_and_day
        .filter((row) => row.agent_id === agent.id)
        .reduce((sum, row) => sum + row.credits, 0);
      expect(charged).toBeLessThanOrEqual(5 + 2);
      expect(charged).toBeGreaterThanOrEqual(5);
      const skipped = executions.filter((execution) => execution.status === "skipped_budget");
      const ran = executions.filter((execution) => execution.status === "succeeded");
      expect(skipped.length + ran.length).toBe(10);
      expect(ran.length * 2).toBe(charged);
      for (const execution of skipped) {
        expect(callsFor(execution.execution_id)).toHaveLength(0);
        expect(execution.steps.every((step) => step.status === "skipped")).toBe(true);
      }
      expect(usage.budget).toMatchObject({ monthly_credits: 5, used_credits: charged, remaining_credits: 0 });

      const alerts = bus
        .published()
        .filter((message) => message.subject === "agents.budget.threshold_reached")
        .filter((message) => (message.body as { orgid: string }).orgid === org.orgId);
      expect(alerts).toHaveLength(1);
      expect((alerts[0]!.body as { data: unknown }).data).toMatchObject({
        monthly_credits: 5,
        alert_percent: 60,
      });
      const emails = outboxOf(host)
        .list({ to: org.owner.email })
        .filter((message) => message.subject?.startsWith("Agents credit budget"));
      expect(emails).toHaveLength(1);

      // At the cap, a new event runs nothing.
      const callsBefore = psa.calls.length;
      bus.publish(TOPIC, userCreatedEvent(org.orgId, "Budget"));
      const after = await waitForExecutions(host, token, agent.id, 11);
      expect(after.filter((execution) => execution.status === "skipped_budget")).toHaveLength(
        skipped.length + 1,
      );
      expect(psa.calls.length).toBe(callsBefore);
    });

    it("is for Admins and validated", async () => {
      const bad = await fetch(`${host.url}/api/agents/budget`, {
        method: "PUT",
        headers: { ...bearer(admin), "content-type": "application/json" },
        body: JSON.stringify({ monthly_credits: -1 }),
      });
      expect(bad.status).toBe(422);
      const get = await fetch(`${host.url}/api/agents/budget`, { headers: bearer(admin) });
      expect(get.status).toBe(200);
      expect(await get.json()).toMatchObject({ monthly_credits: null, remaining_credits: null });
    });
  });
});
