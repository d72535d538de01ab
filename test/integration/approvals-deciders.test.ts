// Who may decide a gate (docs/approvals.md): approvers by role, by API an approver or an Admin only, never the requester.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { CreatedOrg } from "../support/identity";
import { accessToken, createOrg, login } from "../support/identity";
import { bootWithFakePsa } from "../support/executions";
import type { UserBody } from "../support/iam";
import { createUser, iamClient, newPassword, ownerToken } from "../support/iam";
import {
  decideByApi,
  decideByLink,
  durableOf,
  getExecution,
  linkFor,
  messagesOf,
  openGate,
  gatedAgent,
  waitForStatus,
} from "../support/approvals";

const OUTSIDER = "outsider@example.com";

describe("who may decide an approval gate", () => {
  let host: DevHost;
  let stop: () => Promise<void>;
  let org: CreatedOrg;
  let owner = "";
  const users: Record<"admin" | "tech1" | "tech2", UserBody & { token: string }> = {} as never;
  const ownerAgents = () => owner;

  beforeAll(async () => {
    ({ host, stop } = await bootWithFakePsa());
    org = await createOrg(host);
    owner = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    const iam = iamClient(host, await ownerToken(host, org));
    const make = async (orgRole: string, product_access: Record<string, string>) => {
      const password = newPassword();
      const user = await createUser(iam, { orgRole, product_access, password });
      return { ...user, token: await accessToken(host, await login(host, user.email, password), "agents") };
    };
    users.admin = await make("admin", {});
    users.tech1 = await make("member", { agents: "technician" });
    users.tech2 = await make("member", { agents: "technician" });
  });
  afterAll(() => stop());

  /** The gate step's approvers as the audit records them. */
  const approversOf = async (executionId: string) =>
    ((await getExecution(host, owner, executionId)).steps[0]!.outputs as { recipients: unknown[] })
      .recipients;

  it("resolves roles to the org's users when the gate opens, records how, and sends each their link", async () => {
    const gate = await openGate(host, ownerAgents, org.orgId, "Roles", {
      approvers: [{ org_role: "admin" }, { product_role: { product: "agents", role: "technician" } }],
      required_approvals: 2,
    });
    const recipients = await approversOf(gate.executionId);
    expect(recipients).toHaveLength(3);
    expect(recipients).toEqual(
      expect.arrayContaining([
        {
          approver: users.admin.id,
          channel: "email",
          resolved_from: ["org_role:admin"],
          added_by: "gate",
          may_decide: true,
        },
        expect.objectContaining({
          approver: users.tech1.id,
          resolved_from: ["product_role:agents:technician"],
        }),
        expect.objectContaining({
          approver: users.tech2.id,
          resolved_from: ["product_role:agents:technician"],
        }),
      ]),
    );
    for (const user of [users.admin, users.tech1, users.tech2])
      expect(messagesOf(host, gate.executionId, user.email)).toHaveLength(1);
    expect(messagesOf(host, gate.executionId, org.owner.email)).toHaveLength(0);

    // The owner is an Admin: not listed, yet may decide, and counts as one approval.
    const byOwner = await decideByApi(host, owner, gate.executionId, "approve", "ok from the console");
    expect(byOwner.status).toBe(200);
    expect(await byOwner.json()).toMatchObject({
      channel: "api",
      status: "pending",
      progress: "1 of 2 approved",
    });
    expect((await decideByApi(host, owner, gate.executionId, "approve")).status).toBe(409);
    const byTech = await decideByApi(host, users.tech1.token, gate.executionId, "approve");
    expect(byTech.status).toBe(200);
    expect(await byTech.json()).toMatchObject({ status: "approved", progress: "2 of 2 approved" });
    const done = await waitForStatus(host, ownerAgents, gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.steps[0]).toMatchObject({
      status: "succeeded",
      decided_by: users.tech1.id,
      decisions: [
        { decided_by: org.owner.id, channel: "api", decision_note: "ok from the console" },
        { decided_by: users.tech1.id, channel: "api" },
      ],
    });
  });

  it("a Technician who is not an approver of the gate gets 403 and changes nothing", async () => {
    const gate = await openGate(host, ownerAgents, org.orgId, "NotMine", {
      approvers: [{ email: OUTSIDER }],
    });
    const refused = await decideByApi(host, users.tech1.token, gate.executionId, "approve");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    await durableOf(host).idle();
    expect((await getExecution(host, owner, gate.executionId)).status).toBe("waiting_for_approval");
    expect((await decideByLink(linkFor(host, gate.executionId, OUTSIDER), "approve")).status).toBe(200);
    await waitForStatus(host, ownerAgents, gate.agentId, ["succeeded"]);
  });

  it("refuses the requester by link (403 page) and by API (403); another approver decides", async () => {
    // The owner adds a user through the IAM API: hub.iam.user_created names the owner in created_by.
    const iam = iamClient(host, await ownerToken(host, org));
    const gate = await openGate(
      host,
      ownerAgents,
      org.orgId,
      "Selfie",
      { approvers: [{ org_role: "owner" }, { org_role: "admin" }] },
      async () => void (await createUser(iam, { lastName: "Selfie" })),
    );
    const recipients = await approversOf(gate.executionId);
    expect(recipients).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ approver: org.owner.id, may_decide: false }),
        expect.objectContaining({ approver: users.admin.id, may_decide: true }),
      ]),
    );
    const ownLink = linkFor(host, gate.executionId, org.owner.email);
    const page = await fetch(ownLink);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("Your own action started this request");
    expect((await decideByLink(ownLink, "approve")).status).toBe(403);
    const byApi = await decideByApi(host, owner, gate.executionId, "approve");
    expect(byApi.status).toBe(403);
    await durableOf(host).idle();
    expect((await getExecution(host, owner, gate.executionId)).status).toBe("waiting_for_approval");

    expect((await decideByLink(linkFor(host, gate.executionId, users.admin.email), "approve")).status).toBe(
      200,
    );
    const done = await waitForStatus(host, ownerAgents, gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.steps[0]).toMatchObject({ status: "succeeded", decided_by: users.admin.id });
  });

  it("refuses the link of a user deactivated since the gate opened", async () => {
    const iam = iamClient(host, await ownerToken(host, org));
    const leaver = await createUser(iam, { lastName: "Leaver" });
    const gate = await openGate(host, ownerAgents, org.orgId, "Leaving", {
      approvers: [{ user_id: leaver.id }, { email: OUTSIDER }],
    });
    const link = linkFor(host, gate.executionId, leaver.email);
    expect((await fetch(link)).status).toBe(200);
    expect((await iam.deactivate(leaver.id)).status).toBe(200);
    const page = await fetch(link);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("no longer active");
    expect((await decideByLink(link, "approve")).status).toBe(403);
    await durableOf(host).idle();
    expect((await getExecution(host, owner, gate.executionId)).status).toBe("waiting_for_approval");
    expect((await decideByLink(linkFor(host, gate.executionId, OUTSIDER), "reject")).status).toBe(200);
    await waitForStatus(host, ownerAgents, gate.agentId, ["rejected"]);
  });

  it("allow_self_approval lets the requester decide", async () => {
    const iam = iamClient(host, await ownerToken(host, org));
    const gate = await openGate(
      host,
      ownerAgents,
      org.orgId,
      "SelfOk",
      { approvers: [{ org_role: "owner" }], allow_self_approval: true },
      async () => void (await createUser(iam, { lastName: "SelfOk" })),
    );
    expect((await decideByApi(host, owner, gate.executionId, "approve")).status).toBe(200);
    const done = await waitForStatus(host, ownerAgents, gate.agentId, ["succeeded", "rejected", "failed"]);
    expect(done.steps[0]).toMatchObject({ status: "succeeded", decided_by: org.owner.id });
  });

  it("fails the step, sending nothing, when fewer people may decide than the gate needs", async () => {
    const gate = await openGate(host, ownerAgents, org.orgId, "TooFew", {
      approvers: [{ product_role: { product: "agents", role: "technician" } }],
      required_approvals: 3,
    });
    const done = await waitForStatus(host, ownerAgents, gate.agentId, ["failed"]);
    expect(done.steps[0]).toMatchObject({
      status: "failed",
      reason: expect.stringContaining("needs 3 approval(s)"),
    });
    expect(messagesOf(host, gate.executionId)).toHaveLength(0);
  });

  it("refuses on save a quorum larger than its literal approvers, and follow-ups that fall after the deadline", async () => {
    const save = (gate: Record<string, unknown>) =>
      fetch(`${host.url}/api/agents`, {
        method: "POST",
        headers: { authorization: `Bearer ${owner}`, "content-type": "application/json" },
        body: JSON.stringify(gatedAgent("Invalid", gate)),
      });
    const cases: [Record<string, unknown>, string][] = [
      [
        { approvers: [{ email: OUTSIDER }, { phone: "+15550100" }], required_approvals: 3 },
        "steps[0].required_approvals",
      ],
      [
        { approvers: [{ email: OUTSIDER }], reminders: { every_seconds: 3600, max: 2 } },
        "steps[0].reminders.every_seconds",
      ],
      [
        {
          approvers: [{ email: OUTSIDER }],
          escalation: { after_seconds: 4000, approvers: [{ org_role: "owner" }] },
        },
        "steps[0].escalation.after_seconds",
      ],
      [{ approvers: [{ org_role: "member" }] }, "steps[0].approvers[0].org_role"],
      [{ approvers: [{ org_role: "admin", email: OUTSIDER }] }, "steps[0].approvers[0]"],
    ];
    for (const [gate, path] of cases) {
      const response = await save(gate);
      expect(response.status).toBe(422);
      const problem = (await response.json()) as { errors: { path: string }[] };
      expect(problem.errors.map((error) => error.path)).toContain(path);
    }
    expect((await save({ approvers: [{ org_role: "admin" }], required_approvals: 5 })).status).toBe(201);
  });
});
