// POST /api/events: a product publishes its own events with an events:publish key; agents react (docs/events.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { FakeProduct } from "../support/fake-product";
import { accessToken, bearer, createOrg, issueIntegrationKey, keyHeader, login } from "../support/identity";
import { createAgent, probeAgent, waitForExecutions, bootWithFakePsa } from "../support/executions";

describe("product events", () => {
  let host: DevHost;
  let psa: FakeProduct;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ host, psa, stop } = await bootWithFakePsa());
  });
  afterAll(() => stop());

  async function newOrg() {
    const org = await createOrg(host);
    const token = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    return { orgId: org.orgId, token };
  }

  it("takes a product's event posted with an events:publish key, in the key's org whatever the body says", async () => {
    const org = await newOrg();
    const other = await newOrg();
    const agent = await createAgent(host, org.token, {
      ...probeAgent("Product"),
      trigger: { event_type: "psa.ticket.*", filter: [{ path: "priority", op: "eq", value: "urgent" }] },
    });
    const key = (await issueIntegrationKey(host, org.token, ["events:publish"])).key;
    const post = (body: unknown, headers: Record<string, string> = keyHeader(key)) =>
      fetch(`${host.url}/api/events`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    const event = {
      specversion: "1.0",
      source: "/psa",
      type: "psa.ticket.created",
      orgid: other.orgId,
      data: { priority: "urgent", lastName: "Product", firstName: "P" },
    };
    const accepted = await post(event);
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ orgid: org.orgId, type: "psa.ticket.created" });
    const [execution] = await waitForExecutions(host, org.token, agent.id, 1);
    expect(execution).toMatchObject({
      status: "succeeded",
      trigger_event: { orgid: org.orgId, source: "/psa" },
    });
    expect(
      psa.calls.filter((call) => call.headers["x-agent-execution-id"] === execution!.execution_id),
    ).toHaveLength(1);

    expect((await post({ ...event, type: "hub.iam.user_created" })).status).toBe(422);
    expect((await post({ ...event, source: "/hub" })).status).toBe(422);
    expect((await post({ source: "/psa" })).status).toBe(422);
    expect((await post(event, bearer(org.token))).status).toBe(403);
    const readKey = (await issueIntegrationKey(host, org.token, ["agents:read"])).key;
    expect((await post(event, keyHeader(readKey))).status).toBe(403);
    expect((await post(event, {})).status).toBe(401);
  });
});
