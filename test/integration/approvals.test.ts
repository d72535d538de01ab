// Approval gates end to end: links by email and SMS, the page, decisions by link and by API, timeouts (docs/approvals.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { Outbox } from "../../devhost/outbox/outbox";
import type { FakeProduct } from "../support/fake-product";
import { accessToken, bearer, createOrg, issueIntegrationKey, keyHeader, login } from "../support/identity";
import { waitForStatus as waitForAgentStatus } from "../support/approvals";
import { busOf, createAgent, userCreatedEvent, bootWithFakePsa } from "../support/executions";
import type { ExecutionView } from "../support/executions";

const TOPIC = "the-one-bus";
const APPROVER = "approver@example.com";
const PHONE = "+15550100";

/** An agent that asks before it opens a PSA ticket; it reacts only to new users with this last name. */
const gatedAgent = (lastName: string, gate: Record<string, unknown> = {}) => ({
  name: `Gated ${lastName}`,
  trigger: { event_type: "hub.iam.user_created", filter: [{ path: "lastName", op: "eq", value: lastName }] },
  steps: [
    {
      id: "ask",
      type: "approval_gate",
      approvers: [{ email: APPROVER }, { phone: PHONE }],
      message: "Open an onboarding ticket for {{trigger.data.firstName}} {{trigger.data.lastName}}?",
      timeout_seconds: 3600,
      ...gate,
    },
    {
      id: "ticket",
      type: "product_action",
      product: "psa",
      action: "create_ticket",
      params: { title: "Onboard {{trigger.data.firstName}}" },
    },
  ],
});

describe("approval gates", () => {
  let host: DevHost;
  let psa: FakeProduct;
  let stop: () => Promise<void>;
  let admin: string;
  let orgId: string;
  let owner: { email: string; password: string };
  /** Access tokens expire when the test moves the clock a day on; a new sign-in gives a fresh one. */
  const refreshAdmin = async () => {
    admin = await accessToken(host, await login(host, owner.email, owner.password), "agents");
  };

  beforeAll(async () => {
    ({ host, psa, stop } = await bootWithFakePsa());
    const org = await createOrg(host);
    orgId = org.orgId;
    owner = org.owner;
    await refreshAdmin();
  });
  afterAll(() => stop());

  const outbox = () => host.services.outbox as Outbox;
  const execution = async (id: string): Promise<ExecutionView> =>
    (await (
      await fetch(`${host.url}/api/executions/${id}`, { headers: bearer(admin) })
    ).json()) as ExecutionView;

  const waitForStatus = (agentId: string, statuses: string[]) =>
    waitForAgentStatus(host, () => admin, agentId, statuses);

  /** Starts a gated execution and returns it waiting, with the links its approvers received. */
  async function waitingGate(lastName: string, gate: Record<string, unknown> = {}) {
    const agent = await createAgent(host, admin, gatedAgent(lastName, gate));
    busOf(host).publish(TOPIC, userCreatedEvent(orgId, lastName));
    const waiting = await waitForStatus(agent.id, ["waiting_for_approval"]);
    const mine = (to: string) =>
      outbox()
        .list({ to })
        .filter((message) => message.idempotency_key.startsWith(waiting.execution_id));
    const [email] = mine(APPROVER);
    const [sms] = mine(PHONE);
    return {
      agentId: agent.id,
      executionId: waiting.execution_id,
      email: email!,
      sms: sms!,
      emailLink: email!.links[0]!,
      smsLink: sms!.links[0]!,
    };
  }

  const decide = (link: string, decision: string, note?: string) =>
    fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ decision, ...(note ? { note } : {}) }).toString(),
    });

  it("waits, sends personal links, shows a page that changes nothing, then approves by POST and runs on", async () => {
    const gate = await waitingGate("Approve");
    expect(gate.email).toMatchObject({ channel: "email", subject: "Approval needed: Gated Approve" });
    expect(gate.email.text).toContain("Open an onboarding ticket for Ada Approve?");
    expect(gate.sms.channel).toBe("sms");
    expect(gate.sms.text.length).toBeLessThanOrEqual(160);
    expect(gate.emailLink).not.toBe(gate.smsLink);
    expect(gate.emailLink.startsWith(`${host.url}/api/approvals/`)).toBe(true);

    for (let i = 0; i < 3; i++) {
      const page = await fetch(gate.emailLink);
      expect(page.status).toBe(200);
      expect(page.headers.get("cache-control")).toBe("no-store");
      expect(page.headers.get("referrer-policy")).toBe("no-referrer");
      expect(page.headers.get("x-frame-options")).toBe("DENY");
      expect(page.headers.get("content-security-policy")).toMatch(
        /default-src 'none'.*form-action 'self'.*frame-ancestors 'none'/,
      );
      const html = await page.text();
      expect(html).toContain("Gated Approve");
      expect(html).toContain("Open an onboarding ticket for Ada Approve?");
      expect(html).toContain("hub.iam.user_created");
      expect(html).toMatch(/<form method="post">/);
      expect(html).not.toMatch(/<script/i);
    }
    expect((await execution(gate.executionId)).status).toBe("waiting_for_approval");
    expect(
      psa.calls.filter((call) => call.headers["x-agent-execution-id"] === gate.executionId),
    ).toHaveLength(0);

    const confirmed = await decide(gate.emailLink, "approve", "Looks right");
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("Approved");

    const done = await waitForStatus(gate.agentId, ["succeeded", "failed", "rejected"]);
    expect(done.status).toBe("succeeded");
    expect(done.steps[0]).toMatchObject({
      step_id: "ask",
      status: "succeeded",
      decided_by: `email:${APPROVER}`,
      decided_at: expect.any(String),
      decision_note: "Looks right",
      credits_used: 1,
    });
    expect(done.steps[1]).toMatchObject({ step_id: "ticket", status: "succeeded" });
    expect(
      psa.calls.filter((call) => call.headers["x-agent-execution-id"] === gate.executionId),
    ).toHaveLength(1);

    // Every link of the gate is dead now, the one used and the other recipient's.
    expect((await decide(gate.emailLink, "reject")).status).toBe(410);
    expect((await fetch(gate.emailLink)).status).toBe(410);
    expect((await decide(gate.smsLink, "approve")).status).toBe(410);
  });

  it("rejects: the execution is rejected and the remaining steps are skipped", async () => {
    const gate = await waitingGate("Reject");
    expect((await decide(gate.smsLink, "reject")).status).toBe(200);
    const done = await waitForStatus(gate.agentId, ["rejected", "succeeded", "failed"]);
    // The gate did its work (links sent, decision recorded): it costs its price, in the trace and in the ledger.
    expect(done).toMatchObject({ status: "rejected", credits_used: 1 });
    expect(done.steps[0]).toMatchObject({
      status: "rejected",
      decided_by: `phone:${PHONE}`,
      credits_used: 1,
    });
    const [from, to] = [done.created_at, done.completed_at].map((at) => String(at).slice(0, 10));
    const usage = (await (
      await fetch(`${host.url}/api/usage?from=${from}&to=${to}`, { headers: bearer(admin) })
    ).json()) as { by_agent_and_day: { agent_id: string; credits: number }[] };
    expect(usage.by_agent_and_day.filter((row) => row.agent_id === gate.agentId)).toEqual([
      expect.objectContaining({ credits: 1 }),
    ]);
    expect(done.steps[1]).toMatchObject({ step_id: "ticket", status: "skipped" });
    expect(
      psa.calls.filter((call) => call.headers["x-agent-execution-id"] === gate.executionId),
    ).toHaveLength(0);
  });

  it("times out on the moved clock: on_timeout decides, as system:timeout, and the links expire", async () => {
    const gate = await waitingGate("Timeout", { timeout_seconds: 86_400, on_timeout: "approve" });
    host.clock.advance(86_400 * 1000 + 1000);
    await refreshAdmin();
    const done = await waitForStatus(gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.steps[0]).toMatchObject({ status: "succeeded", decided_by: "system:timeout" });
    const expired = await fetch(gate.emailLink);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("expired");
  });

  it("answers garbage and a link forged for another gate with 404, never a 500", async () => {
    const a = await waitingGate("ForgeA");
    const b = await waitingGate("ForgeB");
    const [, , linkA] = a.emailLink.split("/api/approvals/")[1]!.split(".");
    const tokenB = b.emailLink.split("/api/approvals/")[1]!.split(".");
    tokenB[2] = linkA!;
    const forged = `${host.url}/api/approvals/${tokenB.join(".")}`;
    expect((await fetch(forged)).status).toBe(404);
    expect((await decide(forged, "approve")).status).toBe(404);
    for (const garbage of ["x", "v1.a.b.c.d", "%00", "v1." + "A".repeat(400)]) {
      // Garbage is an unknown link: 404, never a 422 or a 500 (docs/approvals.md).
      const response = await fetch(`${host.url}/api/approvals/${encodeURIComponent(garbage)}`);
      expect(response.status).toBe(404);
    }
    expect((await execution(a.executionId)).status).toBe("waiting_for_approval");
    expect((await execution(b.executionId)).status).toBe("waiting_for_approval");
  });

  it("decides by API once (200, then 409), for people only", async () => {
    const gate = await waitingGate("Api");
    const url = `${host.url}/api/executions/${gate.executionId}/approvals/ask`;
    const body = JSON.stringify({ decision: "approve", note: "from the console" });
    const key = (await issueIntegrationKey(host, admin, ["agents:write", "executions:read"])).key;
    const byKey = await fetch(url, {
      method: "POST",
      headers: { ...keyHeader(key), "content-type": "application/json" },
      body,
    });
    expect(byKey.status).toBe(403);
    const first = await fetch(url, {
      method: "POST",
      headers: { ...bearer(admin), "content-type": "application/json" },
      body,
    });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      decision: "approve",
      decided_by: expect.any(String),
      decision_note: "from the console",
    });
    const again = await fetch(url, {
      method: "POST",
      headers: { ...bearer(admin), "content-type": "application/json" },
      body,
    });
    expect(again.status).toBe(409);
    const done = await waitForStatus(gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.steps[0]).toMatchObject({ status: "succeeded", decision_note: "from the console" });
    expect((await decide(gate.emailLink, "reject")).status).toBe(410);
  });

  it("records exactly one decision out of 50 concurrent POSTs", async () => {
    const gate = await waitingGate("Race");
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        decide(i % 2 ? gate.emailLink : gate.smsLink, i % 3 ? "approve" : "reject", `race ${i}`),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 410)).toHaveLength(49);
    const done = await waitForStatus(gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.steps[0]!.decision_note).toMatch(/^race \d+$/);
  });

  it("never writes a decision token into a log line", async () => {
    const gate = await waitingGate("Quiet");
    expect((await fetch(gate.emailLink)).status).toBe(200);
    expect((await decide(gate.smsLink, "approve")).status).toBe(200);
    expect((await decide(gate.emailLink, "approve")).status).toBe(410);
    await waitForStatus(gate.agentId, ["succeeded", "rejected", "failed"]);
    const tokens = [gate.emailLink, gate.smsLink].map((link) => link.split("/api/approvals/")[1]!);
    for (const token of tokens) {
      expect(host.logs.filter((entry) => entry.message.includes(token))).toEqual([]);
      expect(host.logs.filter((entry) => entry.message.includes(token.split(".")[4]!))).toEqual([]);
    }
  });
});
