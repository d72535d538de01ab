// Sign-in rules through HTTP: lockout and its end, refused accounts, logout, revocation, deactivation within 5 s.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type * as RevokeUser from "../../shared/auth/revoke-user";
import { bootDevHost, builtModule, problemOf } from "../support/devhost";
import {
  accessToken,
  bearer,
  createOrg,
  createUserWithPassword,
  deactivateUser,
  login,
  rememberSecret,
  userToken,
  MANY_SIGN_INS_MS,
} from "../support/identity";
import type { CreatedOrg } from "../support/identity";
import { suspendOrg } from "../support/out-of-band";

const probeFile = join(__dirname, "../../dist/test/fixtures/auth-probe.js");

describe("sign-in rules", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  let org: CreatedOrg;
  const attempt = (email: string, password: string) =>
    host.fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: rememberSecret(password) }),
    });
  const probeHub = (token: string) => host.fetch("/api/test/probe/hub", { headers: bearer(token) });
  const revoke = (token: string, jti: string) =>
    host.fetch("/api/auth/revoke", {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(token) },
      body: JSON.stringify({ jti }),
    });
  const jtiOf = (token: string) =>
    (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { jti: string }).jti;

  beforeAll(async () => {
    host = await bootDevHost({ extraFunctionFiles: [probeFile] });
    org = await createOrg(host);
  });
  afterAll(() => host.stop());

  it(
    "locks an account after 5 failures in 15 minutes, answers 429 with Retry-After, and unlocks after 15 minutes",
    async () => {
      const user = await createUserWithPassword(host, org, { orgRole: "member" });
      for (let i = 0; i < 5; i++) expect((await attempt(user.email, "wrong password!")).status).toBe(401);
      const locked = await attempt(user.email, user.password);
      expect(locked.status).toBe(429);
      const retryAfter = Number(locked.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect((await problemOf(locked)).code).toBe("auth.rate_limited");

      host.clock.advance(14 * 60 * 1000);
      expect((await attempt(user.email, user.password)).status).toBe(429);
      host.clock.advance(60 * 1000 + 1000);
      expect((await attempt(user.email, user.password)).status).toBe(200);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "counts failures in a rolling 15-minute window, and forgets them after a success",
    async () => {
      const user = await createUserWithPassword(host, org, { orgRole: "member" });
      for (let i = 0; i < 4; i++) expect((await attempt(user.email, "wrong password!")).status).toBe(401);
      expect((await attempt(user.email, user.password)).status).toBe(200);
      for (let i = 0; i < 4; i++) expect((await attempt(user.email, "wrong password!")).status).toBe(401);
      host.clock.advance(15 * 60 * 1000 + 1000);
      // The four old failures fell out of the window: four new ones do not lock.
      for (let i = 0; i < 4; i++) expect((await attempt(user.email, "wrong password!")).status).toBe(401);
      expect((await attempt(user.email, user.password)).status).toBe(200);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "locks an unknown email the same way, so lockout does not reveal which emails exist",
    async () => {
      const email = `ghost-${Date.now()}@example.com`;
      for (let i = 0; i < 5; i++) expect((await attempt(email, "whatever password")).status).toBe(401);
      expect((await attempt(email, "whatever password")).status).toBe(429);
    },
    MANY_SIGN_INS_MS,
  );

  it("refuses a deactivated user and a suspended org, even with the right password", async () => {
    const user = await createUserWithPassword(host, org, { orgRole: "member" });
    await deactivateUser(host, org, user.id);
    expect((await attempt(user.email, user.password)).status).toBe(403);
    expect((await attempt(user.email, "wrong password!")).status).toBe(401);

    // No route suspends an org: the platform operator does it in the store (test/support/out-of-band.ts).
    const suspended = await createOrg(host);
    await suspendOrg(host, suspended.orgId);
    expect((await attempt(suspended.owner.email, suspended.owner.password)).status).toBe(403);
  });

  it("ends the session on logout: the cookie no longer buys a token", async () => {
    const session = await login(host, org.owner.email, org.owner.password);
    expect(await accessToken(host, session, "hub")).toMatch(/^ey/);
    const out = await host.fetch("/api/auth/logout", { method: "POST", headers: { cookie: session } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(/^__Host-hub_session=; .*Max-Age=0/);
    await expect(accessToken(host, session, "hub")).rejects.toThrow(/401/);
  });

  it("revokes a token by jti: users their own, admins any of their org, nobody another org's", async () => {
    const alice = await userToken(host, org, { orgRole: "member" }, "hub");
    const bob = await userToken(host, org, { orgRole: "member" }, "hub");
    const owner = await accessToken(host, await login(host, org.owner.email, org.owner.password), "hub");

    expect((await revoke(alice.token, jtiOf(bob.token))).status).toBe(403);
    expect((await revoke(alice.token, jtiOf(alice.token))).status).toBe(204);
    expect((await probeHub(alice.token)).status).toBe(401);

    const other = await createOrg(host);
    const outsider = await accessToken(
      host,
      await login(host, other.owner.email, other.owner.password),
      "hub",
    );
    expect((await revoke(outsider, jtiOf(bob.token))).status).toBe(404);
    expect((await probeHub(bob.token)).status).toBe(200);

    expect((await revoke(owner, jtiOf(bob.token))).status).toBe(204);
    expect((await probeHub(bob.token)).status).toBe(401);
  });

  it("stops a deactivated user's tokens and session at once on the instance that deactivated them", async () => {
    const carol = await userToken(host, org, { orgRole: "member" }, "hub");
    expect((await probeHub(carol.token)).status).toBe(200);
    await deactivateUser(host, org, carol.user.id);
    const refused = await probeHub(carol.token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    await expect(accessToken(host, carol.session, "hub")).rejects.toThrow(/401/);
  });

  it("revokes all of a user's sessions and tokens at once (the user_deactivated handler's tool)", async () => {
    const dave = await userToken(host, org, { orgRole: "member" }, "hub");
    const secondSession = await login(host, dave.user.email, dave.user.password);
    const { revokeUserCredentials } = builtModule<typeof RevokeUser>("shared/auth/revoke-user.js");
    // The session accepting the invitation left, two sign-ins, one token.
    expect(await revokeUserCredentials(org.orgId, dave.user.id, "test")).toBe(4);
    expect((await probeHub(dave.token)).status).toBe(401);
    await expect(accessToken(host, dave.session, "hub")).rejects.toThrow(/401/);
    await expect(accessToken(host, secondSession, "hub")).rejects.toThrow(/401/);
    expect(await revokeUserCredentials(org.orgId, dave.user.id, "test")).toBe(0);
  });
});
