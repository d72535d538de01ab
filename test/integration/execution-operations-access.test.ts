// Who may run the execution operations (Admins of the org only), and redrive held to the org's rules of today (docs/executions.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { accessToken, bearer, createOrg, login, userToken } from "../support/identity";
import {
  bootWithFakePsa,
  busOf,
  createAgent,
  probeAgent,
  ticketAgent,
  userCreatedEvent,
  waitForExecutions,
} from "../support/executions";
import { decideByLink, linkFor, waitForStatus } from "../support/approvals";

describe("execution operations: access and today's rules", () => {
  let host: DevHost;
  let stop: () => Promise<void>;
  let orgId: string;
  let admin: string;
  let technician: string;
  let otherAdmin: string;
  let agentId: string;
  let executionId: string;

  const call = (method: string, path: string, token: string, body?: unknown) =>
    fetch(`${host.url}${path}`, {
      method,
      headers: { ...bearer(token), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    ({ host, stop } = await bootWithFakePsa());
    const org = await createOrg(host);
    orgId = org.orgId;
    admin = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    technician = (
      await userToken(host, org, { orgRole: "member", product_access: { agents: "technician" } }, "agents")
    ).token;
    const other = await createOrg(host);
    otherAdmin = await accessToken(
      host,
      await login(host, other.owner.email, other.owner.password),
      "agents",
    );
    await call("POST", "/api/agents/sys-onboard-new-user/pause", admin);
    agentId = (await createAgent(host, admin, probeAgent("Access"))).id;
    busOf(host).publish("the-one-bus", userCreatedEvent(orgId, "Access"));
    executionId = (await waitForExecutions(host, admin, agentId, 1))[0]!.execution_id;
  });
  afterAll(() => stop());

  const operations = () =>
    [
      ["POST", `/api/agents/${agentId}/test-runs`, { execution_id: executionId }],
      ["POST", "/api/agents/test-runs", { agent: ticketAgent(), execution_id: executionId }],
      ["POST", `/api/executions/${executionId}/cancel`, undefined],
      ["POST", `/api/executions/${executionId}/redrive`, undefined],
      ["GET", "/api/agents/budget", undefined],
      ["PUT", "/api/agents/budget", { monthly_credits: 10, alert_percent: 50 }],
    ] as const;

  it("refuses Technicians (403): every operation is an Admin's", async () => {
    for (const [method, path, body] of operations())
      expect([method, path, (await call(method, path, technician, body)).status]).toEqual([
        method,
        path,
        403,
      ]);
  });

  it("answers another org's Admin as if nothing existed (404), and changes nothing", async () => {
    for (const [method, path, body] of operations().slice(0, 4)) {
      const status = (await call(method, path, otherAdmin, body)).status;
      expect([method, path, status]).toEqual([method, path, 404]);
    }
    const budget = await call("GET", "/api/agents/budget", admin);
    expect(await budget.json()).toMatchObject({ monthly_credits: null });
  });

  it("redrives only what the org's rules allow today: a high-impact step the org has since disabled is refused", async () => {
    const isolate = "defend.isolate_device";
    expect(
      (await call("PUT", "/api/agents/settings", admin, { enabled_high_impact_actions: [isolate] })).status,
    ).toBe(200);
    const agent = await createAgent(host, admin, {
      name: "Isolate",
      trigger: {
        event_type: "hub.iam.user_created",
        filter: [{ path: "lastName", op: "eq", value: "Isolate" }],
      },
      steps: [
        { id: "ask", type: "approval_gate", approvers: [{ email: "boss@example.com" }], message: "Isolate?" },
        {
          id: "isolate",
          type: "product_action",
          product: "defend",
          action: "isolate_device",
          params: { device_id: "dev-1", reason: "test" },
        },
      ],
    });
    busOf(host).publish("the-one-bus", userCreatedEvent(orgId, "Isolate"));
    const waiting = await waitForStatus(host, () => admin, agent.id, ["waiting_for_approval"]);
    expect(
      (await decideByLink(linkFor(host, waiting.execution_id, "boss@example.com"), "approve")).status,
    ).toBe(200);
    // No Defend is configured here, so the isolation step fails.
    const failed = await waitForStatus(host, () => admin, agent.id, ["failed"]);
    expect(
      (await call("PUT", "/api/agents/settings", admin, { enabled_high_impact_actions: [] })).status,
    ).toBe(200);
    const refused = await call("POST", `/api/executions/${failed.execution_id}/redrive`, admin);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain(isolate);
  });
});
