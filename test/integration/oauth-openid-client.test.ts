// Conformance: panva's openid-client, unmodified and used as a product backend would, against the devhost.
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CloudEvent } from "../../shared/events/cloud-event";
import { bootDevHost, busOf } from "../support/devhost";
import { accessToken, createOrg, issueIntegrationKey, login, rememberSecret } from "../support/identity";
import type { CreatedOrg } from "../support/identity";
import type { Host } from "../support/oauth";
import {
  AGENTS_REDIRECT,
  AGENTS_SECRET,
  AGENTS_SIGNED_OUT,
  clientSettings,
  userAgentGet,
} from "../support/oauth";

describe("openid-client against Hub", () => {
  let host: Host;
  let org: CreatedOrg;
  let config: oidc.Configuration;
  beforeAll(async () => {
    host = await bootDevHost({ settings: clientSettings() });
    org = await createOrg(host);
    // http://localhost is a development issuer: openid-client refuses plain HTTP unless told, as a product's dev setup would.
    config = await oidc.discovery(
      new URL(`${host.url}/api`),
      "agents",
      undefined,
      oidc.ClientSecretBasic(AGENTS_SECRET),
      { execute: [oidc.allowInsecureRequests] },
    );
  });
  afterAll(() => host.stop());

  /** The browser's part: the user has a Hub session; the authorization URL redirects straight back with a code. */
  async function signInThroughHub(session: string) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: AGENTS_REDIRECT,
      scope: "openid profile email",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    const answer = await userAgentGet(url, session);
    expect(answer.status).toBe(302);
    const callback = new URL(answer.headers.get("location")!);
    expect(`${callback.origin}${callback.pathname}`).toBe(AGENTS_REDIRECT);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    rememberSecret(tokens.access_token);
    rememberSecret(tokens.refresh_token!);
    return { tokens, nonce };
  }

  it("discovers every endpoint, with S256 and the grants Hub supports", () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(`${host.url}/api`);
    expect(metadata.authorization_endpoint).toBe(`${host.url}/api/oauth/authorize`);
    expect(metadata.token_endpoint).toBe(`${host.url}/api/oauth/token`);
    expect(metadata.userinfo_endpoint).toBe(`${host.url}/api/oauth/userinfo`);
    expect(metadata.introspection_endpoint).toBe(`${host.url}/api/oauth/introspect`);
    expect(metadata.end_session_endpoint).toBe(`${host.url}/api/oauth/logout`);
    expect(metadata.code_challenge_methods_supported).toEqual(["S256"]);
    expect(metadata.grant_types_supported).toEqual(["authorization_code", "refresh_token"]);
    expect(metadata.response_types_supported).toEqual(["code"]);
  });

  it("signs in with a code and PKCE: a validated id_token and Hub's access token for the Agents API", async () => {
    const session = await login(host, org.owner.email, org.owner.password);
    const { tokens, nonce } = await signInThroughHub(session);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: `${host.url}/api`, aud: "agents", sub: org.owner.id, nonce });
    expect(claims.email).toBe(org.owner.email);
    expect(typeof claims.sid).toBe("string");
    expect(typeof claims.auth_time).toBe("number");
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    const agents = await oidc.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(`${host.url}/api/agents`),
      "GET",
    );
    expect(agents.status).toBe(200);
    // The same token the session exchange issues: same header type, audience and claims.
    const exchanged = await accessToken(host, session, "agents");
    const payload = (token: string) =>
      JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    const header = (token: string) =>
      JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as Record<string, unknown>;
    expect(header(tokens.access_token).typ).toBe("at+jwt");
    expect(Object.keys(payload(tokens.access_token)).sort()).toEqual(Object.keys(payload(exchanged)).sort());
    expect(payload(tokens.access_token)).toMatchObject({
      aud: "agents",
      client_id: "agents",
      sub: org.owner.id,
    });
  });

  it("refreshes with rotation, answers userinfo, and introspects tokens, sessions and keys", async () => {
    const session = await login(host, org.owner.email, org.owner.password);
    const { tokens } = await signInThroughHub(session);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    rememberSecret(refreshed.access_token);
    rememberSecret(refreshed.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);

    const info = await oidc.fetchUserInfo(config, refreshed.access_token, org.owner.id);
    expect(info).toMatchObject({
      sub: org.owner.id,
      email: org.owner.email,
      given_name: "Olive",
      family_name: "Owner",
    });

    const ofToken = await oidc.tokenIntrospection(config, refreshed.access_token);
    expect(ofToken).toMatchObject({
      active: true,
      token_type: "access_token",
      sub: org.owner.id,
      org_id: org.orgId,
      client_id: "agents",
    });
    expect(ofToken.exp).toBeGreaterThan(Date.now() / 1000);
    const ofSession = await oidc.tokenIntrospection(config, session.slice(session.indexOf("=") + 1));
    expect(ofSession).toMatchObject({
      active: true,
      token_type: "session",
      user_id: org.owner.id,
      org_id: org.orgId,
    });
    const hubToken = await accessToken(host, session, "hub");
    const key = await issueIntegrationKey(host, hubToken, ["agents:read"]);
    const ofKey = await oidc.tokenIntrospection(config, key.key);
    expect(ofKey).toMatchObject({
      active: true,
      token_type: "integration_key",
      key_id: key.id,
      kind: "user",
      org_id: org.orgId,
      scope: "agents:read",
    });
    // A token for another audience, garbage, and a revoked key are all simply inactive.
    expect(await oidc.tokenIntrospection(config, hubToken)).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(config, "not-a-credential")).toEqual({ active: false });
    const revoke = await host.fetch(`/api/integration-keys/${key.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${hubToken}` },
    });
    expect(revoke.status).toBe(204);
    expect(await oidc.tokenIntrospection(config, key.key)).toEqual({ active: false });
    expect(
      host.logs.some((entry) => entry.message.includes("introspection") && entry.message.includes("agents")),
    ).toBe(true);
  });

  it("logs out with id_token_hint: back to the product with state, the session and its refresh tokens end, products are told", async () => {
    const session = await login(host, org.owner.email, org.owner.password);
    const { tokens } = await signInThroughHub(session);
    const claims = tokens.claims()!;
    const url = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: AGENTS_SIGNED_OUT,
      state: "bye-123",
    });
    const answer = await userAgentGet(url, session);
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe(`${AGENTS_SIGNED_OUT}?state=bye-123`);
    expect(answer.headers.getSetCookie().join("\n")).toMatch(/__Host-hub_session=;.*Max-Age=0/);
    await expect(accessToken(host, session, "hub")).rejects.toThrow(/401/);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: "invalid_grant",
    });
    expect(await oidc.tokenIntrospection(config, session.slice(session.indexOf("=") + 1))).toEqual({
      active: false,
    });
    await busOf(host).idle();
    const ended = busOf(host)
      .published()
      .map((message) => message.body as CloudEvent)
      .filter((event) => event.type === "hub.auth.session_ended" && event.subject === org.owner.id);
    expect(ended.map((event) => event.data)).toContainEqual({
      user_id: org.owner.id,
      session_id: claims.sid,
      reason: "logout",
    });
  });
});
