// Every permission cell of the Agents API (docs/auth.md): who may read, who may write, and what the others get.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentsCaller, expectStatus } from "../support/agents-api";
import type { AgentBody, AgentsCaller } from "../support/agents-api";
import { ticketAgent } from "../support/agents";
import { bootDevHost, problemOf } from "../support/devhost";
import { listExecutions, waitForExecutions } from "../support/executions";
import {
  accessToken,
  bearer,
  createOrg,
  createUserWithPassword,
  issueIntegrationKey,
  keyHeader,
  login,
  userToken,
} from "../support/identity";
import type { CreatedOrg } from "../support/identity";
import { createUser, iamClient, setEntitlements } from "../support/iam";

type Operation =
  | "list"
  | "get"
  | "getSystem"
  | "settings"
  | "create"
  | "replace"
  | "delete"
  | "pause"
  | "activate"
  | "putSettings";
const READS: Operation[] = ["list", "get", "getSystem", "settings"];
const WRITES: Operation[] = ["create", "replace", "delete", "pause", "activate"];
const ALL: Operation[] = [...READS, ...WRITES, "putSettings"];

describe("Agents API permissions", () => {
  let host: Awaited<ReturnType<typeof bootDevHost>>;
  let owner: AgentsCaller;
  let org: CreatedOrg;
  let orgId: string;
  /** The owner's hub token, for managing integration keys and users. */
  let ownerHubToken: string;
  const callers: Record<string, AgentsCaller> = {};

  beforeAll(async () => {
    host = await bootDevHost();
    org = await createOrg(host);
    orgId = org.orgId;
    const ownerSession = await login(host, org.owner.email, org.owner.password);
    const ownerToken = await accessToken(host, ownerSession, "agents");
    owner = agentsCaller(host, bearer(ownerToken));
    callers.owner = owner;
    const hubOwnerToken = await accessToken(host, ownerSession, "hub");
    ownerHubToken = hubOwnerToken;
    const user = async (fields: Parameters<typeof userToken>[2], audience: string) =>
      bearer((await userToken(host, org, fields, audience)).token);
    callers.orgAdmin = agentsCaller(host, await user({ orgRole: "admin" }, "agents"));
    callers.agentsAdmin = agentsCaller(
      host,
      await user({ orgRole: "member", product_access: { agents: "admin" } }, "agents"),
    );
    callers.technician = agentsCaller(
      host,
      await user({ orgRole: "member", product_access: { agents: "technician" } }, "agents"),
    );
    callers.memberWithHubToken = agentsCaller(host, await user({ orgRole: "member" }, "hub"));
    callers.portalCaller = agentsCaller(
      host,
      await user({ orgRole: "member", product_access: { portal: "user" } }, "portal"),
    );
    callers.ownerWithHubToken = agentsCaller(host, bearer(hubOwnerToken));
    for (const scope of ["agents:read", "agents:write", "executions:read", "events:publish"]) {
      const key = await issueIntegrationKey(host, hubOwnerToken, [scope], `key ${scope}`);
      callers[`key ${scope}`] = agentsCaller(host, keyHeader(key.key));
    }
    callers.anonymous = agentsCaller(host, {});
  });
  afterAll(() => host.stop());

  /**
   * The matrix's agents wait for an event nobody publishes here, so the users the later tests create through the
   * IAM API do not start a hundred executions.
   */
  const quietAgent = () => ticketAgent({ trigger: { event_type: "psa.ticket.created" } });

  /** Runs one operation on a fresh agent (so a delete or pause by one caller does not change another's cell). */
  async function attempt(caller: AgentsCaller, operation: Operation): Promise<number> {
    const response = await owner.create(quietAgent());
    const agent = await expectStatus(response, 201);
    const etag = response.headers.get("etag")!;
    const answer = await {
      list: () => caller.list(),
      get: () => caller.get(agent.id),
      getSystem: () => caller.get("sys-onboard-new-user"),
      settings: () => caller.request("GET", "/api/agents/settings"),
      create: () => caller.create(quietAgent()),
      replace: () => caller.replace(agent.id, { ...agent, name: "Changed" }, etag),
      delete: () => caller.remove(agent.id),
      pause: () => caller.pause(agent.id),
      activate: () => caller.activate(agent.id),
      putSettings: () => caller.request("PUT", "/api/agents/settings", { enabled_high_impact_actions: [] }),
    }[operation]();
    await answer.arrayBuffer();
    return answer.status;
  }

  const success: Record<Operation, number> = {
    list: 200,
    get: 200,
    getSystem: 200,
    settings: 200,
    create: 201,
    replace: 200,
    delete: 204,
    pause: 200,
    activate: 200,
    putSettings: 200,
  };
  const expected: Record<string, (operation: Operation) => number> = {
    owner: (op) => success[op],
    orgAdmin: (op) => success[op],
    agentsAdmin: (op) => success[op],
    technician: (op) => (READS.includes(op) ? success[op] : 403),
    // A token for another audience is not a credential for the Agents API at all (docs/auth.md): 401.
    memberWithHubToken: () => 401,
    portalCaller: () => 401,
    ownerWithHubToken: () => 401,
    "key agents:read": (op) => (READS.includes(op) ? success[op] : 403),
    "key agents:write": (op) => (op === "putSettings" ? 403 : success[op]),
    "key executions:read": () => 403,
    "key events:publish": () => 403,
    anonymous: () => 401,
  };

  it.each(Object.keys(expected))("%s gets exactly its cells", async (name) => {
    const actual: Record<string, number> = {};
    const wanted: Record<string, number> = {};
    for (const operation of ALL) {
      actual[operation] = await attempt(callers[name]!, operation);
      wanted[operation] = expected[name]!(operation);
    }
    expect(actual).toEqual(wanted);
  });

  it("a member without Agents access cannot get an agents token (403)", async () => {
    const member = await createUserWithPassword(host, org, { orgRole: "member" });
    const session = await login(host, member.email, member.password);
    const response = await fetch(`${host.url}/api/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: session },
      body: JSON.stringify({ audience: "agents" }),
    });
    expect(response.status).toBe(403);
  });

  it("a technician whose access was removed gets 403 with the agents token still in hand", async () => {
    const { user, token } = await userToken(
      host,
      org,
      { orgRole: "member", product_access: { agents: "technician" } },
      "agents",
    );
    const formerTechnician = agentsCaller(host, bearer(token));
    expect((await formerTechnician.list()).status).toBe(200);
    expect((await iamClient(host, ownerHubToken).revoke(user.id, "agents")).status).toBe(200);
    expect((await formerTechnician.list()).status).toBe(403);
  });

  it("records a key's writes as the key's, and a key never reaches another org's agents", async () => {
    const writer = await issueIntegrationKey(host, ownerHubToken, ["agents:write"], "writer");
    const byKey = agentsCaller(host, keyHeader(writer.key));
    const created = await expectStatus(byKey.create(quietAgent()), 201);
    expect(created).toMatchObject({ org_id: orgId, created_by: `key:${writer.id}` });

    const other = await createOrg(host);
    const otherSession = await login(host, other.owner.email, other.owner.password);
    const otherKey = await issueIntegrationKey(host, await accessToken(host, otherSession, "hub"), [
      "agents:write",
    ]);
    const stranger = agentsCaller(host, keyHeader(otherKey.key));
    for (const answer of [
      await stranger.get(created.id),
      await stranger.pause(created.id),
      await stranger.remove(created.id),
    ])
      expect((await problemOf(answer)).status).toBe(404);
    expect(await expectStatus(byKey.get(created.id), 200)).toEqual(created);
  });

  it("keeps agents and their state through a lapse of the agents entitlement, and runs them again after", async () => {
    // An org of its own: the matrix above fills the shared org with agents that react to new users.
    const lapsing = await createOrg(host);
    const session = await login(host, lapsing.owner.email, lapsing.owner.password);
    const admin = agentsCaller(host, bearer(await accessToken(host, session, "agents")));
    const people = iamClient(host, await accessToken(host, session, "hub"));
    const custom = await expectStatus(admin.create(ticketAgent()), 201);
    await expectStatus(admin.pause("sys-offboard-deactivated-user"), 200);
    const entitled = ["psa", "portal", "agents", "defend", "jarvis", "ai:pro"];

    expect(
      (
        await setEntitlements(
          host,
          lapsing.orgId,
          entitled.filter((p) => p !== "agents"),
        )
      ).status,
    ).toBe(200);
    expect((await admin.list()).status).toBe(403);
    const unseen = await createUser(people, { lastName: "Lapsed" });
    expect((await people.deactivate(unseen.id)).status).toBe(200);

    expect((await setEntitlements(host, lapsing.orgId, entitled)).status).toBe(200);
    const restored = agentsCaller(host, bearer(await accessToken(host, session, "agents")));
    const kept = await expectStatus<{ items: AgentBody[] }>(restored.list("?limit=100"), 200);
    expect(kept.items.find((agent) => agent.id === custom.id)).toMatchObject({ status: "active" });
    expect(kept.items.find((agent) => agent.id === "sys-offboard-deactivated-user")?.status).toBe("paused");

    const seen = await createUser(people, { lastName: "Restored" });
    expect((await people.deactivate(seen.id)).status).toBe(200);
    const token = await accessToken(host, session, "agents");
    const ranFor = async (agentId: string) =>
      (await waitForExecutions(host, token, agentId, 1)).map(
        (execution) => (execution.trigger_event as { data: { user_id: string } }).data.user_id,
      );
    // The user made during the lapse ran nothing; the one made after runs the custom and the system agent.
    expect(await ranFor(custom.id)).toEqual([seen.id]);
    expect(await ranFor("sys-onboard-new-user")).toEqual([seen.id]);
    // The pause kept through the lapse still holds: neither deactivation ran the offboarding agent.
    expect(await listExecutions(host, token, "agent_id=sys-offboard-deactivated-user")).toEqual([]);
  });
});
