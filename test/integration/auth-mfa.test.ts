// The TOTP second factor through HTTP and the bus, with codes made by `otpauth` as an authenticator app would:
// enrolment, two-step sign-in, replay, recovery codes, lockout, the org policy, an admin's reset, and `amr`.
import * as oidc from "openid-client";
import * as OTPAuth from "otpauth";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BusHandle } from "../../devhost/bus/extension";
import type { CloudEvent } from "../../shared/events/cloud-event";
import { bootDevHost, busOf, problemOf } from "../support/devhost";
import { rawContainer } from "../support/raw-container";
import {
  accessToken,
  bearer,
  createOrg,
  createUserWithPassword,
  login,
  MANY_SIGN_INS_MS,
  rememberSecret,
} from "../support/identity";
import type { CreatedOrg, Credentials } from "../support/identity";
import { codeAt, enrolTotp, loginWithCode, secondStep, sessionPairOf, startLogin } from "../support/mfa";
import type { Host } from "../support/oauth";
import { AGENTS_REDIRECT, AGENTS_SECRET, basic, clientSettings, userAgentGet } from "../support/oauth";

describe("TOTP second factor", () => {
  let host: Host;
  let bus: BusHandle;
  let org: CreatedOrg;
  beforeAll(async () => {
    host = await bootDevHost({ settings: clientSettings() });
    bus = busOf(host);
    org = await createOrg(host);
  });
  afterAll(() => host.stop());

  const events = (type: string, userId: string) =>
    bus
      .published()
      .map((message) => message.body as CloudEvent)
      .filter((event) => event.type === type && event.subject === userId);
  const exchange = (session: string, audience: string) =>
    host.fetch("/api/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: session },
      body: JSON.stringify({ audience }),
    });
  const member = (): Promise<Credentials> =>
    createUserWithPassword(host, org, { orgRole: "member", product_access: { agents: "technician" } });

  it(
    "enrols with the secret once (URI and QR), confirms with the app's code, then signs in in two steps",
    async () => {
      const user = await member();
      const session = await login(host, user.email, user.password);
      expect((await host.fetch("/api/auth/mfa/totp", { method: "POST" })).status).toBe(401);

      const enrolled = await enrolTotp(host, session);
      const uri = OTPAuth.URI.parse(enrolled.otpauthUri) as OTPAuth.TOTP;
      expect(uri).toBeInstanceOf(OTPAuth.TOTP);
      expect({ algorithm: uri.algorithm, digits: uri.digits, period: uri.period }).toEqual({
        algorithm: "SHA1",
        digits: 6,
        period: 30,
      });
      expect(uri.secret.base32).toBe(enrolled.secret);
      expect(uri.label).toBe(user.email);
      expect(enrolled.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(enrolled.recoveryCodes).toHaveLength(10);
      expect(new Set(enrolled.recoveryCodes).size).toBe(10);
      expect(events("hub.auth.mfa_enrolled", user.id).map((event) => event.data)).toEqual([
        { user_id: user.id, method: "totp" },
      ]);
      // The secret is shown once: a second enrolment is refused, and nothing else answers it.
      const again = await host.fetch("/api/auth/mfa/totp", { method: "POST", headers: { cookie: session } });
      expect(again.status).toBe(409);
      expect(await again.text()).not.toContain(enrolled.secret);

      const challenge = await startLogin(host, user.email, user.password);
      const signedIn = await secondStep(host, challenge, { code: codeAt(enrolled.app, 1) });
      expect(signedIn.status).toBe(200);
      expect(await signedIn.json()).toMatchObject({ user: { id: user.id, email: user.email } });
      const cookie = sessionPairOf(signedIn);
      expect((await exchange(cookie, "agents")).status).toBe(200);
      // A challenge is single use.
      const reused = await secondStep(host, challenge, { code: codeAt(enrolled.app, 1) });
      expect(reused.status).toBe(410);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "keeps neither the secret nor a recovery code in the store: a copy of the database yields no factor",
    async () => {
      const user = await member();
      const enrolled = await enrolTotp(host, await login(host, user.email, user.password));
      const { resources } = await rawContainer(host, "identity")
        .items.query({
          query: "SELECT * FROM c WHERE c.org_id = @org",
          parameters: [{ name: "@org", value: org.orgId }],
        })
        .fetchAll();
      const stored = JSON.stringify(resources);
      expect(stored).toContain(`mfa_totp:${user.id}`);
      const secretBytes = Buffer.from(enrolled.app.secret.bytes);
      for (const form of [
        enrolled.secret,
        ...(["hex", "base64", "base64url"] as const).map((e) => secretBytes.toString(e)),
      ]) {
        expect(stored).not.toContain(form);
      }
      for (const code of enrolled.recoveryCodes) {
        expect(stored).not.toContain(code);
        expect(stored).not.toContain(code.replace("-", ""));
      }
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "refuses a code already used (replay) and a challenge without the code",
    async () => {
      const user = await member();
      const enrolled = await enrolTotp(host, await login(host, user.email, user.password));
      const code = codeAt(enrolled.app, 1);
      await loginWithCode(host, user.email, user.password, code);
      const replay = await secondStep(host, await startLogin(host, user.email, user.password), { code });
      expect(replay.status).toBe(401);
      expect(replay.headers.getSetCookie().some((line) => line.includes("hub_session="))).toBe(false);
      // The current step's code, though inside the window, is older than the one used: refused too.
      const older = await secondStep(host, await startLogin(host, user.email, user.password), {
        code: codeAt(enrolled.app),
      });
      expect(older.status).toBe(401);
      // An access token is never handed out on the password alone.
      const bad = await secondStep(host, "not-a-challenge", { code: "123456" });
      expect(bad.status).toBe(410);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "accepts each recovery code once",
    async () => {
      const user = await member();
      const enrolled = await enrolTotp(host, await login(host, user.email, user.password));
      const [first, second] = enrolled.recoveryCodes;
      const ok = await secondStep(host, await startLogin(host, user.email, user.password), {
        recovery_code: first!.toUpperCase().replace("-", " "),
      });
      expect(ok.status).toBe(200);
      sessionPairOf(ok);
      const reused = await secondStep(host, await startLogin(host, user.email, user.password), {
        recovery_code: first!,
      });
      expect(reused.status).toBe(401);
      const other = await secondStep(host, await startLogin(host, user.email, user.password), {
        recovery_code: second!,
      });
      expect(other.status).toBe(200);
      sessionPairOf(other);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "counts wrong codes toward the account lockout",
    async () => {
      const user = await member();
      const enrolled = await enrolTotp(host, await login(host, user.email, user.password));
      // The right password counts as an attempt until the code is right too; four wrong codes make five.
      const challenge = await startLogin(host, user.email, user.password);
      const wrong = codeAt(enrolled.app, 10);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await secondStep(host, challenge, { code: wrong })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
      const right = await secondStep(host, challenge, { code: codeAt(enrolled.app, 1) });
      expect(right.status).toBe(429);
      expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
      const failures = events("hub.auth.login_failed", user.id).map((event) => event.data);
      expect(failures.map((data) => [data.reason, data.lock_started])).toEqual([
        ["bad_code", false],
        ["bad_code", false],
        ["bad_code", false],
        ["bad_code", true],
        ["locked", false],
        ["locked", false],
      ]);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "puts amr in access tokens and in the id_token (openid-client)",
    async () => {
      const plain = await login(host, org.owner.email, org.owner.password);
      expect(decodeJwt(await accessToken(host, plain, "agents")).amr).toEqual(["pwd"]);

      const user = await createUserWithPassword(host, org, { orgRole: "admin" });
      const enrolled = await enrolTotp(host, await login(host, user.email, user.password));
      const session = await loginWithCode(host, user.email, user.password, codeAt(enrolled.app, 1));
      expect(decodeJwt(await accessToken(host, session, "agents")).amr).toEqual(["pwd", "otp"]);

      const config = await oidc.discovery(
        new URL(`${host.url}/api`),
        "agents",
        undefined,
        oidc.ClientSecretBasic(AGENTS_SECRET),
        { execute: [oidc.allowInsecureRequests] },
      );
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: AGENTS_REDIRECT,
        scope: "openid",
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state,
      });
      const answer = await userAgentGet(url, session);
      expect(answer.status).toBe(302);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(answer.headers.get("location")!), {
        pkceCodeVerifier: verifier,
        expectedState: state,
        idTokenExpected: true,
      });
      rememberSecret(tokens.access_token);
      rememberSecret(tokens.refresh_token!);
      expect(tokens.claims()!.amr).toEqual(["pwd", "otp"]);
      expect(decodeJwt(tokens.access_token).amr).toEqual(["pwd", "otp"]);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "lets an org admin reset a user's factor: hub.auth.mfa_reset, then the password alone signs in",
    async () => {
      const user = await member();
      await enrolTotp(host, await login(host, user.email, user.password));
      const ownerToken = await accessToken(
        host,
        await login(host, org.owner.email, org.owner.password),
        "hub",
      );
      const reset = (token: string, userId: string) =>
        host.fetch(`/api/users/${userId}/mfa`, { method: "DELETE", headers: bearer(token) });

      const admin = await createUserWithPassword(host, org, { orgRole: "admin" });
      const adminToken = await accessToken(host, await login(host, admin.email, admin.password), "hub");
      expect((await reset(adminToken, org.owner.id)).status).toBe(403);
      // With the factor, the password alone only earns a challenge.
      await startLogin(host, user.email, user.password);

      expect((await reset(adminToken, user.id)).status).toBe(204);
      expect(events("hub.auth.mfa_reset", user.id).map((event) => event.data)).toEqual([
        { user_id: user.id, reset_by: admin.id },
      ]);
      // Resetting again changes nothing and publishes nothing.
      expect((await reset(ownerToken, user.id)).status).toBe(204);
      expect(events("hub.auth.mfa_reset", user.id)).toHaveLength(1);
      const session = await login(host, user.email, user.password);
      expect(decodeJwt(await accessToken(host, session, "agents")).amr).toEqual(["pwd"]);

      // Another org's user is not there.
      const other = await createOrg(host);
      expect((await reset(ownerToken, other.owner.id)).status).toBe(404);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "makes users in the policy's scope enrol before any token: exchange, authorize and the token endpoint refuse",
    async () => {
      const policyOrg = await createOrg(host);
      const admin = await createUserWithPassword(host, policyOrg, { orgRole: "admin" });
      const plainMember = await createUserWithPassword(host, policyOrg, {
        orgRole: "member",
        product_access: { agents: "technician" },
      });
      const ownerToken = await accessToken(
        host,
        await login(host, policyOrg.owner.email, policyOrg.owner.password),
        "hub",
      );
      const adminSession = await login(host, admin.email, admin.password);
      const adminHubToken = await accessToken(host, adminSession, "hub");
      const setPolicy = (token: string, orgId: string, policy: unknown) =>
        host.fetch(`/api/orgs/${orgId}/mfa-policy`, {
          method: "PUT",
          headers: { "content-type": "application/json", ...bearer(token) },
          body: JSON.stringify({ policy }),
        });

      // Owners only, their own org only, and only the three policies.
      expect((await setPolicy(adminHubToken, policyOrg.orgId, "admins")).status).toBe(403);
      expect((await setPolicy(ownerToken, org.orgId, "admins")).status).toBe(404);
      expect((await setPolicy(ownerToken, policyOrg.orgId, "some")).status).toBe(422);

      // A code issued before the policy, to exchange after it.
      const config = await oidc.discovery(
        new URL(`${host.url}/api`),
        "agents",
        undefined,
        oidc.ClientSecretBasic(AGENTS_SECRET),
        { execute: [oidc.allowInsecureRequests] },
      );
      const authorizeUrl = async () => {
        const verifier = oidc.randomPKCECodeVerifier();
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: AGENTS_REDIRECT,
          scope: "openid",
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: "S256",
          state: "s",
        });
        return { url, verifier };
      };
      const early = await authorizeUrl();
      const earlyAnswer = await userAgentGet(early.url, adminSession);
      const earlyCode = new URL(earlyAnswer.headers.get("location")!).searchParams.get("code")!;
      rememberSecret(earlyCode);

      const set = await setPolicy(ownerToken, policyOrg.orgId, "admins");
      expect(set.status).toBe(200);
      expect(await set.json()).toEqual({ policy: "admins" });

      const refused = await exchange(adminSession, "agents");
      expect(refused.status).toBe(403);
      expect((await problemOf(refused)).detail).toMatch(/second factor.*POST \/api\/auth\/mfa\/totp/);
      expect((await exchange(adminSession, "hub")).status).toBe(403);
      const plainSession = await login(host, plainMember.email, plainMember.password);
      expect((await exchange(plainSession, "agents")).status).toBe(200);
      // A product asking about the session itself gets the same answer.
      const introspect = async (session: string) =>
        (await (
          await host.fetch("/api/oauth/introspect", {
            method: "POST",
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              ...basic("agents", AGENTS_SECRET),
            },
            body: new URLSearchParams({ token: session.slice(session.indexOf("=") + 1) }),
          })
        ).json()) as Record<string, unknown>;
      expect(await introspect(adminSession)).toEqual({ active: false });
      expect(await introspect(plainSession)).toMatchObject({ active: true, amr: ["pwd"] });

      const late = await authorizeUrl();
      const denied = new URL((await userAgentGet(late.url, adminSession)).headers.get("location")!);
      expect(denied.searchParams.get("error")).toBe("access_denied");
      expect(denied.searchParams.get("error_description")).toMatch(/second factor/);
      const grant = await host.fetch("/api/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...basic("agents", AGENTS_SECRET) },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: earlyCode,
          redirect_uri: AGENTS_REDIRECT,
          code_verifier: early.verifier,
        }),
      });
      expect(grant.status).toBe(400);
      expect(await grant.json()).toMatchObject({ error: "invalid_grant" });

      // The session still enrols; the confirmed factor counts for it, and a fresh two-step sign-in works too.
      const enrolled = await enrolTotp(host, adminSession);
      expect(decodeJwt(await accessToken(host, adminSession, "agents")).amr).toEqual(["pwd", "otp"]);
      const fresh = await loginWithCode(host, admin.email, admin.password, codeAt(enrolled.app, 1));
      expect((await exchange(fresh, "agents")).status).toBe(200);
      expect(await introspect(fresh)).toMatchObject({
        active: true,
        token_type: "session",
        amr: ["pwd", "otp"],
      });
      const allowed = new URL(
        (await userAgentGet((await authorizeUrl()).url, fresh)).headers.get("location")!,
      );
      expect(allowed.searchParams.get("code")).toBeTruthy();
      rememberSecret(allowed.searchParams.get("code")!);
    },
    MANY_SIGN_INS_MS,
  );

  // Last: it moves the host's clock, and the codes of the tests above follow the real one.
  it(
    "lets a challenge live 5 minutes",
    async () => {
      const user = await member();
      const enrolled = await enrolTotp(host, await login(host, user.email, user.password));
      const challenge = await startLogin(host, user.email, user.password);
      host.clock.advance(5 * 60 * 1000 + 1000);
      const late = await secondStep(host, challenge, {
        code: enrolled.app.generate({ timestamp: host.clock.now() }),
      });
      expect(late.status).toBe(410);
      expect((await problemOf(late)).detail).toMatch(/sign in again/);
    },
    MANY_SIGN_INS_MS,
  );
});
