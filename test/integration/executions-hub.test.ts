// Hub and agents together: a user created through the IAM API runs the example agent; a lapsed entitlement runs
// nothing, and the system agents resume when it returns (docs/agents.md and docs/events.md and docs/executions.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost } from "../support/devhost";
import type { FakeProduct } from "../support/fake-product";
import { startFakeProduct } from "../support/fake-product";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import { exampleAgent } from "../support/agents";
import {
  busOf,
  createAgent,
  fakePsaSettings,
  listExecutions,
  validatePsaKeys,
  waitForExecutions,
} from "../support/executions";

const SYSTEM_ONBOARDING = "sys-onboard-new-user";

describe("executions driven by Hub", () => {
  let host: DevHost;
  let psa: FakeProduct;
  let orgId: string;
  let agents: string;
  let hub: string;
  let session: string;
  beforeAll(async () => {
    psa = await startFakeProduct();
    host = await bootDevHost({ settings: fakePsaSettings(psa) });
    validatePsaKeys(psa, host);
    const org = await createOrg(host);
    orgId = org.orgId;
    session = await login(host, org.owner.email, org.owner.password);
    agents = await accessToken(host, session, "agents");
    hub = await accessToken(host, session, "hub");
  });
  afterAll(async () => {
    await host.stop();
    await psa.close();
  });

  const createUser = async (lastName: string) => {
    const response = await fetch(`${host.url}/api/users`, {
      method: "POST",
      headers: { ...bearer(hub), "content-type": "application/json" },
      body: JSON.stringify({
        email: `${lastName.toLowerCase()}-${Date.now()}@example.com`,
        firstName: "Grace",
        lastName,
        orgRole: "member",
      }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id?: string; user?: { id: string } };
  };

  const setEntitlements = (entitlements: string[]) =>
    fetch(`${host.url}/api/orgs/${orgId}/entitlements`, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${process.env.PLATFORM_ADMIN_TOKEN}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ entitlements }),
    });

  it("creates a PSA ticket when a user is created in Hub, and logs the whole story", async () => {
    const agent = await createAgent(host, agents, exampleAgent);
    await createUser("Hopper");
    const [execution] = await waitForExecutions(host, agents, agent.id, 1);
    expect(execution).toMatchObject({
      status: "succeeded",
      trigger_event: {
        type: "hub.iam.user_created",
        orgid: orgId,
        data: { firstName: "Grace", lastName: "Hopper" },
      },
      actor: { type: "agent", agent_id: agent.id },
    });
    const call = psa.calls.find((c) => c.headers["x-agent-execution-id"] === execution!.execution_id);
    expect(call).toMatchObject({ method: "POST", path: "/tickets", body: { title: "Set up Grace Hopper" } });
  });

  it("runs nothing while the agents entitlement lapses, and the system agents resume when it returns", async () => {
    const before = (await listExecutions(host, agents, `agent_id=${SYSTEM_ONBOARDING}&limit=100`)).length;
    expect((await setEntitlements(["psa", "portal"])).status).toBe(200);
    await createUser("Lapsed");
    await busOf(host).idle();
    await (host.services.durable as { idle(): Promise<void> }).idle();
    expect((await setEntitlements(["psa", "portal", "agents", "ai:pro"])).status).toBe(200);
    const fresh = await accessToken(host, session, "agents");
    expect((await listExecutions(host, fresh, `agent_id=${SYSTEM_ONBOARDING}&limit=100`)).length).toBe(
      before,
    );
    await createUser("Restored");
    await waitForExecutions(host, fresh, SYSTEM_ONBOARDING, before + 1);
  });
});
