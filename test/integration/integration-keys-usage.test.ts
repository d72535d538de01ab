// Integration keys through HTTP: usage counted per key and day, expiry, CIDR allow-lists, product scopes.
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost, problemOf } from "../support/devhost";
import { accessToken, bearer, createOrg, login, rememberSecret } from "../support/identity";
import type { CreatedOrg } from "../support/identity";

const probeFile = join(__dirname, "../../dist/test/fixtures/auth-probe.js");

interface CreatedKey {
  id: string;
  key: string;
  created_at: string;
  [field: string]: unknown;
}

describe("integration key usage, expiry, allow-lists and product scopes", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  let org: CreatedOrg;
  let ownerSession: string;
  let ownerToken: string;

  /** A probe call from a chosen loopback address: the devhost's front end sets client-ip from the socket. */
  const probeFrom = (localAddress: string, probe: string, key: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const outgoing = request(
        `http://127.0.0.1:${host.port}/api/test/probe/${probe}`,
        // The caller's own client-ip is overwritten by the front end, as on App Service.
        { method: "GET", localAddress, headers: { "x-integration-key": key, "client-ip": "10.9.9.9:1" } },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      );
      outgoing.on("error", reject);
      outgoing.end();
    });

  const manage = (path: string, init: RequestInit = {}) =>
    host.fetch(`/api/integration-keys${path}`, {
      ...init,
      headers: { "content-type": "application/json", ...bearer(ownerToken), ...(init.headers as object) },
    });

  async function createKey(body: Record<string, unknown>): Promise<CreatedKey> {
    const response = await manage("", { method: "POST", body: JSON.stringify({ name: "usage", ...body }) });
    expect(response.status).toBe(201);
    const created = (await response.json()) as CreatedKey;
    rememberSecret(created.key);
    return created;
  }

  async function usageOf(keyId: string, from: string, to = from) {
    const response = await manage(`/${keyId}/usage?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    return (await response.json()) as {
      totals: Record<string, number>;
      by_day: Record<string, unknown>[];
    };
  }

  beforeAll(async () => {
    host = await bootDevHost({ extraFunctionFiles: [probeFile] });
    org = await createOrg(host, { entitlements: ["agents", "psa"] });
    ownerSession = await login(host, org.owner.email, org.owner.password);
  });
  beforeEach(async () => {
    ownerToken = await accessToken(host, ownerSession, "hub");
  });
  afterAll(() => host.stop());

  it("counts accepted and scope-refused calls per key and day, and records the last use", async () => {
    const key = await createKey({ scopes: ["agents:read"] });
    const other = await createKey({ scopes: ["agents:read"] });
    const day = key.created_at.slice(0, 10);
    expect(key).toMatchObject({ kind: "user", expires_at: null, allowed_cidrs: null });

    const statuses: number[] = [];
    for (let call = 0; call < 7; call++) statuses.push(await probeFrom("127.0.0.5", "agents-read", key.key));
    for (let call = 0; call < 3; call++) statuses.push(await probeFrom("127.0.0.5", "agents-write", key.key));
    statuses.push(await probeFrom("127.0.0.6", "agents-read", other.key));
    expect(statuses).toEqual([...Array(7).fill(200), ...Array(3).fill(403), 200]);

    const usage = await usageOf(key.id, day);
    expect(usage.totals).toEqual({ accepted: 7, refused_scope: 3, refused_cidr: 0 });
    expect(usage.by_day).toEqual([{ day, accepted: 7, refused_scope: 3, refused_cidr: 0 }]);
    expect((await usageOf(other.id, day)).totals).toEqual({ accepted: 1, refused_scope: 0, refused_cidr: 0 });

    const listed = (await (await manage("?limit=100")).json()) as { items: Record<string, unknown>[] };
    const item = listed.items.find((entry) => entry.id === key.id)!;
    expect(item.last_used_ip).toBe("127.0.0.5");
    expect(typeof item.last_used_at).toBe("string");
    // Every keyed request's log line names the key, refused ones included; never the secret.
    const keyed = host.logs.filter((line) => line.message.includes(`"key_id":"${key.id}"`));
    expect(keyed.filter((line) => line.message.includes('"status":200'))).toHaveLength(7);
    expect(keyed.filter((line) => line.message.includes('"status":403'))).toHaveLength(3);
    expect(JSON.stringify(host.logs)).not.toContain(key.key);
  });

  it("refuses a key from outside its CIDR blocks with 403 and counts it", async () => {
    const key = await createKey({
      scopes: ["agents:read"],
      allowed_cidrs: ["127.0.0.8/30", "2001:db8::/32"],
    });
    expect(key.allowed_cidrs).toEqual(["127.0.0.8/30", "2001:db8::/32"]);
    expect(await probeFrom("127.0.0.9", "agents-read", key.key)).toBe(200);
    expect(await probeFrom("127.0.0.11", "agents-read", key.key)).toBe(200);
    expect(await probeFrom("127.0.0.12", "agents-read", key.key)).toBe(403);
    expect(await probeFrom("127.0.0.7", "agents-read", key.key)).toBe(403);
    const usage = await usageOf(key.id, key.created_at.slice(0, 10));
    expect(usage.totals).toEqual({ accepted: 2, refused_scope: 0, refused_cidr: 2 });
  });

  it("validates expiry and CIDR blocks at creation", async () => {
    for (const allowed_cidrs of [["10.0.0.0/33"], ["not-an-ip"], ["::1/129"], ["10.0.0.0/"], []]) {
      const response = await manage("", {
        method: "POST",
        body: JSON.stringify({ name: "x", allowed_cidrs }),
      });
      expect(response.status, JSON.stringify(allowed_cidrs)).toBe(422);
    }
    const past = await manage("", {
      method: "POST",
      body: JSON.stringify({ name: "x", expires_at: "2001-01-01T00:00:00Z" }),
    });
    expect(past.status).toBe(422);
    expect((await problemOf(past)).errors).toEqual([expect.objectContaining({ path: "expires_at" })]);
  });

  it("offers product scopes only for products the org is entitled to", async () => {
    const psa = await createKey({ scopes: ["psa:read", "psa:write"] });
    expect(psa.scopes).toEqual(["psa:read", "psa:write"]);
    const defend = await manage("", {
      method: "POST",
      body: JSON.stringify({ name: "x", scopes: ["defend:read"] }),
    });
    expect(defend.status).toBe(422);
    expect((await problemOf(defend)).errors).toEqual([expect.objectContaining({ path: "scopes[0]" })]);
    const unknown = await manage("", {
      method: "POST",
      body: JSON.stringify({ name: "x", scopes: ["psa:admin"] }),
    });
    expect(unknown.status).toBe(422);
    // A product scope is not an Agents scope.
    expect(await probeFrom("127.0.0.5", "agents-read", psa.key)).toBe(403);
  });

  it("refuses a key once it has expired; no expiry stays the default", async () => {
    const expiresAt = new Date(host.clock.now() + 120_000).toISOString();
    const expiring = await createKey({ scopes: ["agents:read"], expires_at: expiresAt });
    const lasting = await createKey({ scopes: ["agents:read"] });
    expect(expiring.expires_at).toBe(expiresAt);
    expect(await probeFrom("127.0.0.5", "agents-read", expiring.key)).toBe(200);
    host.clock.advance(121_000);
    expect(await probeFrom("127.0.0.5", "agents-read", expiring.key)).toBe(401);
    expect(await probeFrom("127.0.0.5", "agents-read", lasting.key)).toBe(200);
    ownerToken = await accessToken(host, ownerSession, "hub");
    const listed = (await (await manage("?limit=100")).json()) as { items: Record<string, unknown>[] };
    expect(listed.items.find((entry) => entry.id === expiring.id)?.status).toBe("expired");
  });

  it("hides another org's key usage (404)", async () => {
    const key = await createKey({ scopes: ["agents:read"] });
    const stranger = await createOrg(host);
    const strangerToken = await accessToken(
      host,
      await login(host, stranger.owner.email, stranger.owner.password),
      "hub",
    );
    const day = key.created_at.slice(0, 10);
    const response = await host.fetch(`/api/integration-keys/${key.id}/usage?from=${day}&to=${day}`, {
      headers: bearer(strangerToken),
    });
    expect(response.status).toBe(404);
  });
});
