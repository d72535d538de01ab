// The session cookie cannot be planted by a sibling subdomain, and no other site can use it to change anything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost } from "../support/devhost";
import { accessToken, createOrg, login } from "../support/identity";
import type { CreatedOrg } from "../support/identity";

const PRODUCT_ORIGIN = "http://product.localtest:8123";
const EVIL_ORIGIN = "https://evil.example";

describe("the session cookie and cross-origin requests", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  let orgA: CreatedOrg;
  let orgB: CreatedOrg;
  beforeAll(async () => {
    host = await bootDevHost({
      settings: { PRODUCT_PSA_ORIGINS: PRODUCT_ORIGIN, HUB_COOKIE_DOMAIN: "" },
    });
    [orgA, orgB] = await Promise.all([createOrg(host), createOrg(host)]);
  });
  afterAll(() => host.stop());

  const subjectOf = (token: string) =>
    (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { sub: string }).sub;
  const exchange = (cookie: string, headers: Record<string, string> = {}) =>
    host.fetch("/api/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json", cookie, ...headers },
      body: JSON.stringify({ audience: "hub" }),
    });

  it("is host-only and __Host- prefixed while no cookie domain is configured", async () => {
    const response = await host.fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: orgA.owner.email, password: orgA.owner.password }),
    });
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(/^__Host-hub_session=/);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; Path=\/(;|$)/);
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it("ignores a planted unprefixed hub_session: the token is for the __Host- session's user", async () => {
    const sessionA = await login(host, orgA.owner.email, orgA.owner.password);
    const sessionB = await login(host, orgB.owner.email, orgB.owner.password);
    const plantedB = `hub_session=${sessionB.slice(sessionB.indexOf("=") + 1)}`;
    const mixed = await exchange(`${plantedB}; ${sessionA}`);
    expect(mixed.status).toBe(200);
    expect(subjectOf(((await mixed.json()) as { access_token: string }).access_token)).toBe(orgA.owner.id);
    expect((await exchange(plantedB)).status).toBe(401);
  });

  it("refuses a cross-site text/plain logout and keeps the session", async () => {
    const session = await login(host, orgA.owner.email, orgA.owner.password);
    const forged = await host.fetch("/api/auth/logout", {
      method: "POST",
      headers: {
        "content-type": "text/plain",
        cookie: session,
        origin: EVIL_ORIGIN,
        "sec-fetch-site": "cross-site",
      },
      body: "x",
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.getSetCookie()).toEqual([]);
    await expect(accessToken(host, session, "hub")).resolves.toMatch(/^ey/);
    // Origin alone (an older browser without Fetch Metadata) is refused the same way.
    const originOnly = await host.fetch("/api/auth/logout", {
      method: "POST",
      headers: { cookie: session, origin: EVIL_ORIGIN },
    });
    expect(originOnly.status).toBe(403);
    await expect(accessToken(host, session, "hub")).resolves.toMatch(/^ey/);
  });

  it("refuses cross-site token exchanges and sign-ins", async () => {
    const session = await login(host, orgA.owner.email, orgA.owner.password);
    const crossSite = { origin: EVIL_ORIGIN, "sec-fetch-site": "cross-site" };
    expect((await exchange(session, crossSite)).status).toBe(403);
    const signIn = await host.fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", ...crossSite },
      body: JSON.stringify({ email: orgA.owner.email, password: orgA.owner.password }),
    });
    expect(signIn.status).toBe(403);
    expect(signIn.headers.getSetCookie()).toEqual([]);
  });

  it("allows Hub's own origin, a registered product origin, and callers that are not browsers", async () => {
    const session = await login(host, orgA.owner.email, orgA.owner.password);
    expect((await exchange(session, { origin: host.url, "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await exchange(session, { origin: PRODUCT_ORIGIN, "sec-fetch-site": "same-site" })).status).toBe(
      200,
    );
    expect((await exchange(session)).status).toBe(200);
    const out = await host.fetch("/api/auth/logout", {
      method: "POST",
      headers: { cookie: session, origin: PRODUCT_ORIGIN, "sec-fetch-site": "cross-site" },
    });
    expect(out.status).toBe(204);
    expect((await exchange(session)).status).toBe(401);
  });

  it("CORS: answers a registered origin with its exact origin, never a wildcard or credentials", async () => {
    const response = await host.fetch("/api/health", { headers: { origin: PRODUCT_ORIGIN } });
    expect(response.headers.get("access-control-allow-origin")).toBe(PRODUCT_ORIGIN);
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("vary")).toMatch(/Origin/);
    const preflight = await host.fetch("/api/agents", {
      method: "OPTIONS",
      headers: {
        origin: PRODUCT_ORIGIN,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(PRODUCT_ORIGIN);
    expect(preflight.headers.get("access-control-allow-methods")).toMatch(/GET/);
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/authorization/);
  });

  it("CORS: gives an unregistered origin no CORS headers at all", async () => {
    const response = await host.fetch("/api/health", { headers: { origin: EVIL_ORIGIN } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await host.fetch("/api/agents", {
      method: "OPTIONS",
      headers: { origin: EVIL_ORIGIN, "access-control-request-method": "GET" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect(preflight.headers.get("access-control-allow-methods")).toBeNull();
  });
});
