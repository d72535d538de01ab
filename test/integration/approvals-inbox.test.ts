// The approvals inbox (docs/approvals.md): exactly the gates the caller may decide, and one gate with its progress.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { CreatedOrg } from "../support/identity";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import { bootWithFakePsa } from "../support/executions";
import type { UserBody } from "../support/iam";
import { createUser, iamClient, newPassword, ownerToken } from "../support/iam";
import { decideByApi, linkFor, openGate, waitForStatus } from "../support/approvals";

interface InboxItem {
  execution_id: string;
  step_id: string;
  agent_name: string;
  message: string;
  trigger: { type: string };
  expires_at: string;
  progress: string;
  can_decide: boolean;
}

describe("the approvals inbox", () => {
  let host: DevHost;
  let stop: () => Promise<void>;
  let org: CreatedOrg;
  let owner = "";
  const ownerToken_ = () => owner;
  let tech1: UserBody & { token: string };
  let tech2: UserBody & { token: string };
  const gates: Record<string, string> = {};

  const inbox = async (token: string) => {
    const response = await fetch(`${host.url}/api/approvals?status=pending`, { headers: bearer(token) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: InboxItem[] }).items;
  };
  const idsOf = (items: InboxItem[]) =>
    items.map((item) => Object.keys(gates).find((name) => gates[name] === item.execution_id)).sort();

  beforeAll(async () => {
    ({ host, stop } = await bootWithFakePsa());
    org = await createOrg(host);
    owner = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    const iam = iamClient(host, await ownerToken(host, org));
    const tech = async () => {
      const password = newPassword();
      const user = await createUser(iam, { product_access: { agents: "technician" }, password });
      return { ...user, token: await accessToken(host, await login(host, user.email, password), "agents") };
    };
    tech1 = await tech();
    tech2 = await tech();
    const open = async (name: string, gate: Record<string, unknown>, byOwner = false) => {
      const trigger = byOwner ? async () => void (await createUser(iam, { lastName: name })) : undefined;
      gates[name] = (await openGate(host, ownerToken_, org.orgId, name, gate, trigger)).executionId;
    };
    await open("ForTech1", { approvers: [{ user_id: tech1.id }] });
    await open("ForTechs", {
      approvers: [{ product_role: { product: "agents", role: "technician" } }],
      required_approvals: 2,
    });
    await open("OwnersOwn", { approvers: [{ org_role: "owner" }, { user_id: tech2.id }] }, true);
    await open("Outsider", { approvers: [{ email: "someone@example.com" }] });
    await open("Decided", { approvers: [{ user_id: tech1.id }] });
    expect((await decideByApi(host, tech1.token, gates.Decided!, "reject")).status).toBe(200);
    await waitForStatus(host, ownerToken_, (await agentOf(gates.Decided!))!, ["rejected"]);
    expect((await decideByApi(host, tech1.token, gates.ForTechs!, "approve")).status).toBe(200);
  });
  afterAll(() => stop());

  const agentOf = async (executionId: string) =>
    (
      (await (
        await fetch(`${host.url}/api/executions/${executionId}`, { headers: bearer(owner) })
      ).json()) as { agent_id: string }
    ).agent_id;

  it("lists for each caller exactly the pending gates they may decide", async () => {
    // Admins: every pending gate of the org, except their own request.
    expect(idsOf(await inbox(owner))).toEqual(["ForTech1", "ForTechs", "Outsider"]);
    // Technicians: the gates they are an approver of and have not decided.
    expect(idsOf(await inbox(tech1.token))).toEqual(["ForTech1"]);
    expect(idsOf(await inbox(tech2.token))).toEqual(["ForTechs", "OwnersOwn"]);
    const [item] = (await inbox(tech2.token)).filter((entry) => entry.execution_id === gates.ForTechs);
    expect(item).toMatchObject({
      step_id: "ask",
      agent_name: "Gated ForTechs",
      message: "Onboard Ada?",
      trigger: { type: "hub.iam.user_created" },
      expires_at: expect.any(String),
      progress: "1 of 2 approved",
      can_decide: true,
    });
  });

  it("shows one gate with its progress and whether the caller may decide it; another org's is 404", async () => {
    const one = await fetch(`${host.url}/api/approvals/${gates.ForTechs}/ask`, {
      headers: bearer(tech1.token),
    });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      status: "pending",
      approvals: 1,
      required_approvals: 2,
      progress: "1 of 2 approved",
      can_decide: false,
      decisions: [{ decision: "approve", decided_by: tech1.id, channel: "api" }],
    });
    const other = await createOrg(host);
    const stranger = await accessToken(
      host,
      await login(host, other.owner.email, other.owner.password),
      "agents",
    );
    expect(
      (await fetch(`${host.url}/api/approvals/${gates.ForTechs}/ask`, { headers: bearer(stranger) })).status,
    ).toBe(404);
    expect(await inbox(stranger)).toEqual([]);
  });

  it("keeps the link page and the inbox apart: neither route shadows the other", async () => {
    expect((await fetch(`${host.url}/api/approvals`)).status).toBe(401);
    expect((await fetch(`${host.url}/api/approvals/${gates.Outsider}/ask`)).status).toBe(401);
    const page = await fetch(linkFor(host, gates.Outsider!, "someone@example.com"));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(
      (await fetch(`${host.url}/api/approvals?status=approved`, { headers: bearer(owner) })).status,
    ).toBe(422);
  });
});
