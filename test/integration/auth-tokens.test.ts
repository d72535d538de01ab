// Sign-in and token exchange through HTTP, and a product backend validating the token with nothing but jose.
import { join } from "node:path";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost, problemOf } from "../support/devhost";
import {
  accessToken,
  bearer,
  createOrg,
  expectNoSecretsInLogs,
  login,
  rememberSecret,
  createUserWithPassword,
  userToken,
} from "../support/identity";
import type { CreatedOrg } from "../support/identity";

const probeFile = join(__dirname, "../../dist/test/fixtures/auth-probe.js");

describe("sign-in and access tokens", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  let org: CreatedOrg;
  beforeAll(async () => {
    host = await bootDevHost({ extraFunctionFiles: [probeFile] });
    org = await createOrg(host, { entitlements: ["psa", "agents", "ai:pro"] });
  });
  afterAll(() => host.stop());

  it("POST /api/orgs needs the platform token", async () => {
    const body = JSON.stringify({
      slug: "nope",
      name: "Nope",
      entitlements: [],
      owner: { email: "x@example.com", firstName: "X", lastName: "Y", password: "long enough password" },
    });
    const headers = { "content-type": "application/json" };
    expect((await host.fetch("/api/orgs", { method: "POST", headers, body })).status).toBe(401);
    const wrong = await host.fetch("/api/orgs", {
      method: "POST",
      headers: { ...headers, ...bearer("x".repeat(40)) },
      body,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  });

  it("refuses a second org with the same slug or an owner email already used (any case)", async () => {
    await expect(createOrg(host, { slug: org.slug })).rejects.toThrow(/409/);
    const response = await host.fetch("/api/orgs", {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(process.env.PLATFORM_ADMIN_TOKEN!) },
      body: JSON.stringify({
        slug: `other-${Date.now()}`,
        name: "Other",
        owner: {
          email: org.owner.email.toUpperCase(),
          firstName: "A",
          lastName: "B",
          password: "another password!",
        },
      }),
    });
    expect(response.status).toBe(409);
  });

  it("logs in with a hardened session cookie and answers {user, org}", async () => {
    const response = await host.fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: org.owner.email.toUpperCase(), password: org.owner.password }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("__Host-hub_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    const secret = cookie.split(";")[0]!.split(".")[1]!;
    expect(Buffer.from(secret, "base64url").length).toBeGreaterThanOrEqual(16);
    const body = (await response.json()) as { user: Record<string, unknown>; org: Record<string, unknown> };
    expect(body.user).toMatchObject({ id: org.owner.id, email: org.owner.email, orgRole: "owner" });
    expect(body.user).not.toHaveProperty("password_hash");
    expect(body.org).toMatchObject({ id: org.orgId, slug: org.slug });
  });

  it("answers the same 401 for an unknown email and a wrong password", async () => {
    const attempt = (email: string) =>
      host.fetch("/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "definitely wrong" }),
      });
    const unknown = await attempt("nobody-here@example.com");
    const wrong = await attempt(org.owner.email);
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const strip = ({ request_id: _r, ...rest }: Record<string, unknown>) => rest;
    expect(strip(await problemOf(unknown))).toEqual(strip(await problemOf(wrong)));
  });

  it("issues a token a product backend validates with plain jose and the served JWKS", async () => {
    const session = await login(host, org.owner.email, org.owner.password);
    const response = await host.fetch("/api/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: session },
      body: JSON.stringify({ audience: "psa" }),
    });
    expect(response.status).toBe(200);
    const issued = (await response.json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
    };
    expect(issued.token_type).toBe("Bearer");
    expect(issued.expires_in).toBe(600);

    const discovery = (await (await host.fetch("/api/.well-known/openid-configuration")).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    const jwksResponse = await fetch(discovery.jwks_uri);
    expect(jwksResponse.headers.get("cache-control")).toBe("public, max-age=300");
    const jwks = (await jwksResponse.json()) as { keys: Record<string, unknown>[] };
    for (const key of jwks.keys) expect(key).not.toHaveProperty("d");

    const { payload, protectedHeader } = await jwtVerify(
      issued.access_token,
      createRemoteJWKSet(new URL(discovery.jwks_uri)),
      { issuer: discovery.issuer, audience: "psa", algorithms: ["RS256"], typ: "at+jwt" },
    );
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "at+jwt", kid: expect.any(String) });
    expect(payload).toEqual({
      iss: discovery.issuer,
      aud: "psa",
      client_id: "psa",
      iat: expect.any(Number),
      nbf: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.any(String),
      sub: org.owner.id,
      email: org.owner.email,
      firstName: "Olive",
      lastName: "Owner",
      tenantId: org.orgId,
      tenantSlug: org.slug,
      tenantName: `Org ${org.slug}`,
      orgRole: "owner",
      entitlements: ["psa", "agents", "ai:pro"],
      org_id: org.orgId,
      user_id: org.owner.id,
      roles: ["admin"],
      amr: ["pwd"],
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(decodeProtectedHeader(issued.access_token).kid).toBe(jwks.keys[0]!.kid);
  });

  it("refuses a product the org is not entitled to, or the user has no access to", async () => {
    const session = await login(host, org.owner.email, org.owner.password);
    const exchange = (cookie: string, audience: string) =>
      host.fetch("/api/auth/token", {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify({ audience }),
      });
    expect((await exchange(session, "defend")).status).toBe(403);
    const member = await createUserWithPassword(host, org, { orgRole: "member" });
    const memberSession = await login(host, member.email, member.password);
    expect((await exchange(memberSession, "hub")).status).toBe(200);
    expect((await exchange(memberSession, "agents")).status).toBe(403);
    expect((await exchange(memberSession, "psa")).status).toBe(403);
    expect((await exchange("__Host-hub_session=forged", "hub")).status).toBe(401);
  });

  it("turns a token into a principal and applies the route's policy", async () => {
    const owner = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    const probe = (path: string, token: string) =>
      host.fetch(`/api/test/probe/${path}`, { headers: bearer(token) });
    const principal = await (await probe("agents-admin", owner)).json();
    expect(principal).toEqual({
      kind: "user",
      org_id: org.orgId,
      user_id: org.owner.id,
      orgRole: "owner",
      roles: ["admin"],
      scopes: [],
      jti: expect.any(String),
    });
    // An agents token is not a hub token.
    expect((await probe("hub", owner)).status).toBe(401);

    const tech = await userToken(
      host,
      org,
      { orgRole: "member", product_access: { agents: "technician" } },
      "agents",
    );
    expect((await probe("agents-read", tech.token)).status).toBe(200);
    const forbidden = await probe("agents-admin", tech.token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope"');

    const member = await userToken(host, org, { orgRole: "member" }, "hub");
    expect((await probe("hub", member.token)).status).toBe(200);
    expect((await probe("org-admin", member.token)).status).toBe(403);

    const none = await host.fetch("/api/test/probe/hub");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="hub"');
  });

  it("has a log check that would catch a leaked secret (it runs on every host stop)", () => {
    const secret = rememberSecret(`leak-${Date.now()}`);
    const entry = { level: "information", category: "x", functionName: "f", invocationId: "i" } as const;
    expect(() => expectNoSecretsInLogs({ logs: [{ ...entry, message: `{"note":"${secret}"}` }] })).toThrow(
      /Secrets in the logs/,
    );
    expect(() => expectNoSecretsInLogs({ logs: [{ ...entry, message: "nothing to see" }] })).not.toThrow();
  });
});
