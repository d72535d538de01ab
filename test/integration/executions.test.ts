// Events fan out into Durable executions: product calls, dedup, retries, failures, permissions and credits (SPEC §8, §9).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type * as ServiceKey from "../../shared/products/service-key";
import { bootDevHost, builtModule } from "../support/devhost";
import type { FakeProduct } from "../support/fake-product";
import { startFakeProduct } from "../support/fake-product";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import { busOf, createAgent, exampleAgent, userCreatedEvent, waitForExecutions } from "../support/executions";

const SECRET = "executions-test-product-service-key-secret";
const TOPIC = "the-one-bus";

describe("agent executions", () => {
  let host: DevHost;
  let psa: FakeProduct;
  let orgId: string;
  let admin: string;
  let otherOrgAdmin: string;
  let agentId: string;

  beforeAll(async () => {
    psa = await startFakeProduct();
    host = await bootDevHost({
      settings: { PRODUCT_PSA_BASE_URL: psa.url, PRODUCT_SERVICE_KEY_SECRET: SECRET },
    });
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
    agentId = (await createAgent(host, admin, exampleAgent())).id;
  });
  afterAll(async () => {
    await host.stop();
    await psa.close();
  });

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
    const keys = builtModule<typeof ServiceKey>("shared/products/service-key.js");
    expect(keys.verifyServiceKey(String(call!.headers["x-integration-key"]), SECRET)).toBe(orgId);
  });
});
