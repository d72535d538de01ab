// Agent service keys (docs/auth.md, "Key kinds"): Hub issues each org one key per product its agents call; the fake
// PSA validates every call's key at Hub's introspection, as PSA's backend does, and records what Hub answered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost, problemOf } from "../support/devhost";
import {
  busOf,
  createAgent,
  fakePsaSettings,
  probeAgent,
  userCreatedEvent,
  validatePsaKeys,
  waitForExecutions,
} from "../support/executions";
import type { FakeProduct, RecordedCall } from "../support/fake-product";
import { startFakeProduct } from "../support/fake-product";
import { setEntitlements } from "../support/iam";
import type { CreatedOrg } from "../support/identity";
import { accessToken, bearer, createOrg, login, rememberSecret } from "../support/identity";
import { AGENTS_SECRET, PSA_SECRET, basic } from "../support/oauth";

const DEFEND_SECRET = rememberSecret("defend-client-secret-for-tests-0123456789");
const DAY_MS = 24 * 60 * 60 * 1000;
/** Revocation must show within 5 s (docs/auth.md); the poll fails past it. */
const REVOCATION_BUDGET_MS = 5_000;

interface ListedKey {
  id: string;
  kind: string;
  product: string | null;
  status: string;
  scopes: string[];
  [field: string]: unknown;
}

describe("agent service keys", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  let psa: FakeProduct;
  let org: CreatedOrg;
  let agents: string;
  let hub: string;
  let agentId: string;
  let runs = 0;

  const signIn = async () => {
    const session = await login(host, org.owner.email, org.owner.password);
    agents = await accessToken(host, session, "agents");
    hub = await accessToken(host, session, "hub");
  };

  beforeAll(async () => {
    psa = await startFakeProduct();
    host = await bootDevHost({
      settings: {
        ...fakePsaSettings(psa),
        PRODUCT_AGENTS_CLIENT_SECRET: AGENTS_SECRET,
        PRODUCT_DEFEND_CLIENT_SECRET: DEFEND_SECRET,
      },
    });
    validatePsaKeys(psa, host);
    org = await createOrg(host);
    await signIn();
    // The system onboarding agent reacts to the same event; pausing it keeps PSA's call log about our agent.
    await fetch(`${host.url}/api/agents/sys-onboard-new-user/pause`, {
      method: "POST",
      headers: bearer(agents),
    });
    agentId = (await createAgent(host, agents, probeAgent("Keyholder"))).id;
  });
  afterAll(async () => {
    await host?.stop();
    await psa?.close();
  });

  const seen = new Set<string>();
  /** Runs the one-step PSA agent once more and returns the call PSA received from that execution. */
  const productCall = async (): Promise<RecordedCall & { key: string }> => {
    runs += 1;
    await busOf(host).publish("the-one-bus", userCreatedEvent(org.orgId, "Keyholder"));
    const fresh = (await waitForExecutions(host, agents, agentId, runs)).filter(
      (execution) => !seen.has(execution.execution_id),
    );
    expect(fresh.map((execution) => execution.status)).toEqual(["succeeded"]);
    seen.add(fresh[0]!.execution_id);
    const call = psa.calls.findLast((c) => c.headers["x-agent-execution-id"] === fresh[0]!.execution_id)!;
    return { ...call, key: rememberSecret(String(call.headers["x-integration-key"])) };
  };

  const introspect = async (product: string, secret: string, token: string) => {
    const response = await host.fetch("/api/oauth/introspect", {
      method: "POST",
      headers: { ...basic(product, secret), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };
  const asPsa = (token: string) => introspect("psa", PSA_SECRET, token);

  const listKeys = async (): Promise<ListedKey[]> => {
    const response = await host.fetch("/api/integration-keys", { headers: bearer(hub) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: ListedKey[] }).items;
  };

  let keyId: string;
  let firstKey: string;

  it("an execution's product call carries a Hub-issued key that PSA's introspection reports for that org and psa", async () => {
    const call = await productCall();
    expect(call.key).toMatch(/^ik_test_[0-9a-f]{44}_/);
    expect(call.introspection).toMatchObject({
      active: true,
      token_type: "integration_key",
      kind: "service",
      product: "psa",
      org_id: org.orgId,
      key_id: expect.stringMatching(/^[0-9a-f]{44}$/),
    });
    expect(String(call.introspection!.scope).split(" ").sort()).toEqual(["psa:read", "psa:write"]);
    keyId = String(call.introspection!.key_id);
    firstKey = call.key;

    // The next call uses the same key: one per org and product, issued once.
    const again = await productCall();
    expect(again.key).toBe(firstKey);
  });

  it("lists the service key with kind service and its product, never its secret", async () => {
    const listed = await listKeys();
    const service = listed.filter((key) => key.kind === "service");
    expect(service).toEqual([
      expect.objectContaining({
        id: keyId,
        kind: "service",
        product: "psa",
        status: "active",
        created_by: "hub",
      }),
    ]);
    const text = JSON.stringify(listed);
    expect(text).not.toContain(firstKey);
    expect(service[0]).not.toHaveProperty("key");
  });

  it("refuses to delete a service key (409), and the key keeps working", async () => {
    const response = await host.fetch(`/api/integration-keys/${keyId}`, {
      method: "DELETE",
      headers: bearer(hub),
    });
    expect(response.status).toBe(409);
    expect(String((await problemOf(response)).detail)).toMatch(/issued and revoked by Hub: rotate it/);
    expect(await asPsa(firstKey)).toMatchObject({ active: true, key_id: keyId });
  });

  it("is refused by another product's introspection", async () => {
    expect(await introspect("defend", DEFEND_SECRET, firstKey)).toEqual({ active: false });
    expect(await introspect("agents", AGENTS_SECRET, firstKey)).toEqual({ active: false });
    expect(await asPsa(firstKey)).toMatchObject({ active: true, product: "psa" });
  });

  let rotatedKey: string;

  it("rotation by an admin: the old key works through the grace period, the new one is used from then on", async () => {
    const response = await host.fetch(`/api/integration-keys/${keyId}/rotate`, {
      method: "POST",
      headers: { ...bearer(hub), "content-type": "application/json" },
      body: JSON.stringify({ grace_seconds: 3600 }),
    });
    expect(response.status).toBe(200);
    const rotated = (await response.json()) as Record<string, unknown>;
    // The new secret goes to the agents runtime only.
    expect(rotated).not.toHaveProperty("key");
    expect(rotated).toMatchObject({ id: keyId, kind: "service", rotated_at: expect.any(String) });
    const graceEnds = Date.parse(String(rotated.previous_key_expires_at));
    expect(graceEnds - Date.parse(String(rotated.rotated_at))).toBe(3600 * 1000);

    const call = await productCall();
    expect(call.key).not.toBe(firstKey);
    expect(call.introspection).toMatchObject({ active: true, key_id: keyId, org_id: org.orgId });
    rotatedKey = call.key;
    // Within the grace period the previous key still validates (another instance may still hold it).
    expect(await asPsa(firstKey)).toMatchObject({ active: true, key_id: keyId });

    host.clock.advance(3600 * 1000 + 1000);
    expect(await asPsa(firstKey)).toEqual({ active: false });
    expect(await asPsa(rotatedKey)).toMatchObject({ active: true, key_id: keyId });
  });

  it("Hub rotates a key once 30 days old, keeping the previous one through a 24-hour grace", async () => {
    host.clock.advance(31 * DAY_MS);
    await signIn();
    const call = await productCall();
    expect(call.key).not.toBe(rotatedKey);
    expect(call.introspection).toMatchObject({ active: true, key_id: keyId });
    expect(await asPsa(rotatedKey)).toMatchObject({ active: true, key_id: keyId });
    host.clock.advance(DAY_MS + 1000);
    await signIn();
    expect(await asPsa(rotatedKey)).toEqual({ active: false });
    expect(await asPsa(call.key)).toMatchObject({ active: true, key_id: keyId });
    rotatedKey = call.key;
  });

  it("removing the org's psa entitlement revokes the key within 5 s; entitled again, Hub issues a new one", async () => {
    const removed = await setEntitlements(host, org.orgId, ["agents", "portal"]);
    expect(removed.status).toBe(200);
    await expect
      .poll(() => asPsa(rotatedKey), { timeout: REVOCATION_BUDGET_MS, interval: 100 })
      .toEqual({ active: false });
    const listed = (await listKeys()).find((key) => key.id === keyId);
    expect(listed).toMatchObject({ kind: "service", status: "revoked", revoked_at: expect.any(String) });

    expect((await setEntitlements(host, org.orgId, ["agents", "psa"])).status).toBe(200);
    // Still revoked: a regained entitlement brings a new key, never the old one back.
    expect(await asPsa(rotatedKey)).toEqual({ active: false });
    const call = await productCall();
    expect(call.introspection).toMatchObject({ active: true, kind: "service", org_id: org.orgId });
    expect(call.introspection!.key_id).not.toBe(keyId);
  });

  it("removing the org's agents entitlement revokes it too", async () => {
    const current = (await listKeys()).find((key) => key.kind === "service" && key.status === "active")!;
    const call = psa.calls.findLast((c) => c.introspection?.key_id === current.id)!;
    const key = String(call.headers["x-integration-key"]);
    expect((await setEntitlements(host, org.orgId, ["psa"])).status).toBe(200);
    await expect
      .poll(() => asPsa(key), { timeout: REVOCATION_BUDGET_MS, interval: 100 })
      .toEqual({ active: false });
  });
});
