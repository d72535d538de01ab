// Integration keys through HTTP: issue, use, scopes, rotation with grace, revocation within 5 s, no I/O when malformed.
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost, problemOf } from "../support/devhost";
import {
  accessToken,
  bearer,
  createOrg,
  issueIntegrationKey,
  keyHeader,
  login,
  rememberSecret,
  userToken,
  MANY_SIGN_INS_MS,
} from "../support/identity";
import type { CreatedOrg } from "../support/identity";
import { keyRevocationFromElsewhere } from "../support/out-of-band";

const probeFile = join(__dirname, "../../dist/test/fixtures/auth-probe.js");
const KEY_FORMAT = /^ik_test_[0-9a-f]{44}_[0-9A-Za-z]{49}$/;

describe("integration keys", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  let org: CreatedOrg;
  let ownerSession: string;
  let ownerToken: string;
  const probe = (path: string, key: string) =>
    host.fetch(`/api/test/probe/${path}`, { headers: keyHeader(key) });
  const manage = (path: string, token: string, init: RequestInit = {}) =>
    host.fetch(`/api/integration-keys${path}`, {
      ...init,
      headers: { "content-type": "application/json", ...bearer(token), ...(init.headers as object) },
    });

  beforeAll(async () => {
    host = await bootDevHost({ extraFunctionFiles: [probeFile] });
    org = await createOrg(host);
    ownerSession = await login(host, org.owner.email, org.owner.password);
  });
  // Some tests move the clock past a token's lifetime; the session outlives them.
  beforeEach(async () => {
    ownerToken = await accessToken(host, ownerSession, "hub");
  });
  afterAll(() => host.stop());

  it("issues a key shown once, lists it without secrets, and accepts it with its scopes", async () => {
    const response = await manage("", ownerToken, {
      method: "POST",
      body: JSON.stringify({ name: "PSA sync", scopes: ["agents:read", "executions:read"] }),
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as Record<string, string>;
    rememberSecret(created.key!);
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{44}$/),
      kind: "user",
      name: "PSA sync",
      key: expect.stringMatching(KEY_FORMAT),
      prefix: `ik_test_${created.id}`,
      scopes: ["agents:read", "executions:read"],
      created_at: expect.any(String),
      created_by: org.owner.id,
      expires_at: null,
      allowed_cidrs: null,
    });

    const ok = await probe("agents-read", created.key!);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      kind: "key",
      org_id: org.orgId,
      key_id: created.id,
      roles: [],
      scopes: ["agents:read", "executions:read"],
    });
    // Scopes are enforced: no agents:write, and a route that takes no keys at all.
    expect((await probe("agents-write", created.key!)).status).toBe(403);
    expect((await probe("hub", created.key!)).status).toBe(403);

    const listed = (await (await manage("", ownerToken)).json()) as { items: Record<string, unknown>[] };
    const item = listed.items.find((entry) => entry.id === created.id)!;
    expect(item).toMatchObject({ name: "PSA sync", prefix: created.prefix, status: "active" });
    expect(JSON.stringify(listed)).not.toContain(created.key!.slice(-49));
    expect(item).not.toHaveProperty("secrets");
    await expect
      .poll(async () => {
        const again = (await (await manage("", ownerToken)).json()) as { items: Record<string, unknown>[] };
        return again.items.find((entry) => entry.id === created.id)!.last_used_at;
      })
      .toEqual(expect.any(String));
  });

  it("logs every keyed call with the key id and never the key", async () => {
    const issued = await issueIntegrationKey(host, ownerToken, ["agents:read"], "logged");
    await probe("agents-read", issued.key);
    const lines = host.logs.filter((entry) => entry.message.includes('"route":"test/probe/agents-read"'));
    expect(lines.some((entry) => entry.message.includes(`"key_id":"${issued.id}"`))).toBe(true);
  });

  it("costs no store request for a warm key, nor a write per call for last_used_at", async () => {
    const issued = await issueIntegrationKey(host, ownerToken, ["agents:read"], "warm");
    expect((await probe("agents-read", issued.key)).status).toBe(200);
    // The first call is counted in memory; listing writes it out (last_used_at shows) and the key is warm.
    await expect
      .poll(async () => {
        const listed = (await (await manage("", ownerToken)).json()) as { items: Record<string, unknown>[] };
        return listed.items.find((entry) => entry.id === issued.id)!.last_used_at;
      })
      .toEqual(expect.any(String));
    const before = host.cosmos!.requestCount;
    for (let i = 0; i < 5; i++) expect((await probe("agents-read", issued.key)).status).toBe(200);
    expect(host.cosmos!.requestCount).toBe(before);
  });

  it("rejects a malformed or mistyped key with 401 and no store request", async () => {
    const issued = await issueIntegrationKey(host, ownerToken, ["agents:read"], "typo");
    const flipped = issued.key.slice(0, 60) + (issued.key[60] === "a" ? "b" : "a") + issued.key.slice(61);
    const candidates = [
      "not-a-key",
      issued.key.slice(0, -1),
      flipped,
      issued.key.replace("ik_test_", "ik_live_"),
      `${issued.key} extra`,
      "",
    ];
    const before = host.cosmos!.requestCount;
    for (const candidate of candidates) {
      const response = await host.fetch("/api/test/probe/agents-read", {
        headers: { "x-integration-key": candidate },
      });
      expect(response.status, candidate).toBe(401);
    }
    expect(host.cosmos!.requestCount).toBe(before);
  });

  it("keeps the old secret during the rotation grace, and refuses it after", async () => {
    const issued = await issueIntegrationKey(host, ownerToken, ["agents:read"], "rotating");
    const response = await manage(`/${issued.id}/rotate`, ownerToken, {
      method: "POST",
      body: JSON.stringify({ grace_seconds: 3600 }),
    });
    expect(response.status).toBe(200);
    const rotated = (await response.json()) as { key: string; id: string; previous_key_expires_at: string };
    rememberSecret(rotated.key);
    expect(rotated.id).toBe(issued.id);
    expect(rotated.key).not.toBe(issued.key);
    expect((await probe("agents-read", issued.key)).status).toBe(200);
    expect((await probe("agents-read", rotated.key)).status).toBe(200);

    host.clock.advance(3_600_000 + 1_000);
    expect((await probe("agents-read", issued.key)).status).toBe(401);
    expect((await probe("agents-read", rotated.key)).status).toBe(200);
  });

  it("stops a key revoked through the API at once", async () => {
    const issued = await issueIntegrationKey(host, ownerToken, ["agents:read"], "revoked");
    expect((await probe("agents-read", issued.key)).status).toBe(200);
    expect((await manage(`/${issued.id}`, ownerToken, { method: "DELETE" })).status).toBe(204);
    const refused = await probe("agents-read", issued.key);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  });

  it("stops a key revoked by another instance within 5 seconds", async () => {
    const issued = await issueIntegrationKey(host, ownerToken, ["agents:read"], "elsewhere");
    expect((await probe("agents-read", issued.key)).status).toBe(200);
    // Another instance revokes it: the store changes, this process's cache does not hear of it.
    await keyRevocationFromElsewhere(host, org.orgId, issued.id);
    host.clock.advance(5_000);
    expect((await probe("agents-read", issued.key)).status).toBe(401);
  });

  it(
    "lets only org owners/admins and Agents admins manage keys, each in their own org",
    async () => {
      const member = await userToken(host, org, { orgRole: "member" }, "hub");
      expect((await manage("", member.token)).status).toBe(403);
      const tech = await userToken(
        host,
        org,
        { orgRole: "member", product_access: { agents: "technician" } },
        "agents",
      );
      expect((await manage("", tech.token)).status).toBe(403);
      const agentsAdmin = await userToken(
        host,
        org,
        { orgRole: "member", product_access: { agents: "admin" } },
        "agents",
      );
      const created = await manage("", agentsAdmin.token, {
        method: "POST",
        body: JSON.stringify({ name: "by admin" }),
      });
      expect(created.status).toBe(201);
      const body = (await created.json()) as { id: string; key: string; scopes: string[] };
      rememberSecret(body.key);
      expect(body.scopes).toEqual(["agents:read"]);

      // A key cannot manage keys.
      const byKey = await host.fetch("/api/integration-keys", { headers: keyHeader(body.key) });
      expect(byKey.status).toBe(403);

      // Another org's admin cannot see or touch this key.
      const other = await createOrg(host);
      const otherToken = await accessToken(
        host,
        await login(host, other.owner.email, other.owner.password),
        "hub",
      );
      expect((await manage(`/${body.id}`, otherToken, { method: "DELETE" })).status).toBe(404);
      expect((await manage(`/${body.id}/rotate`, otherToken, { method: "POST" })).status).toBe(404);
      const list = (await (await manage("", otherToken)).json()) as { items: unknown[] };
      expect(list.items).toEqual([]);
      expect((await probe("agents-read", body.key)).status).toBe(200);
    },
    MANY_SIGN_INS_MS,
  );

  it("validates what it is given", async () => {
    const bad = await manage("", ownerToken, {
      method: "POST",
      body: JSON.stringify({ name: "", scopes: ["agents:delete"] }),
    });
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "name" }),
        expect.objectContaining({ path: "scopes[0]" }),
      ]),
    );
    const grace = await manage(`/${"0".repeat(44)}/rotate`, ownerToken, {
      method: "POST",
      body: JSON.stringify({ grace_seconds: 604_801 }),
    });
    expect(grace.status).toBe(422);
  });
});
