// Hub SSO through HTTP: the sign-in page, and every way a request must fail (redirects, PKCE, reuse, CORS, CSRF).
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CloudEvent } from "../../shared/events/cloud-event";
import { bootDevHost, busOf } from "../support/devhost";
import { accessToken, bearer, createOrg, login, rememberSecret } from "../support/identity";
import type { CreatedOrg } from "../support/identity";
import type { Host } from "../support/oauth";
import {
  AGENTS_REDIRECT,
  PRODUCT_ORIGIN,
  PSA_REDIRECT,
  PSA_SECRET,
  basic,
  clientSettings,
  userAgentGet,
} from "../support/oauth";

const EVIL = "https://evil.example";

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

describe("Hub SSO over HTTP", () => {
  let host: Host;
  let org: CreatedOrg;
  beforeAll(async () => {
    host = await bootDevHost({ settings: clientSettings() });
    org = await createOrg(host);
  });
  afterAll(() => host.stop());

  const authorizeUrl = (params: Record<string, string>) =>
    `${host.url}/api/oauth/authorize?${new URLSearchParams(params)}`;
  const goodParams = (challenge: string, extra: Record<string, string> = {}) => ({
    response_type: "code",
    client_id: "agents",
    redirect_uri: AGENTS_REDIRECT,
    state: "st-1",
    code_challenge: challenge,
    code_challenge_method: "S256",
    scope: "openid",
    ...extra,
  });
  const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    host.fetch("/api/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(form),
    });
  async function codeFor(session: string, challenge: string): Promise<string> {
    const answer = await userAgentGet(authorizeUrl(goodParams(challenge)), session);
    expect(answer.status).toBe(302);
    const code = new URL(answer.headers.get("location")!).searchParams.get("code")!;
    return rememberSecret(code);
  }
  async function exchange(code: string, verifier: string) {
    return token({
      grant_type: "authorization_code",
      code,
      redirect_uri: AGENTS_REDIRECT,
      client_id: "agents",
      code_verifier: verifier,
    });
  }
  const tokensOf = async (response: Response) => {
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; refresh_token: string };
    rememberSecret(body.access_token);
    rememberSecret(body.refresh_token);
    return body;
  };
  const agentsStatus = async (accessTokenText: string) =>
    (await host.fetch("/api/agents", { headers: bearer(accessTokenText) })).status;

  it("serves the sign-in page with the page headers and labelled fields, and signs in back to the authorization", async () => {
    const { verifier, challenge } = pkcePair();
    const start = await userAgentGet(authorizeUrl(goodParams(challenge)));
    expect(start.status).toBe(303);
    const signinUrl = new URL(start.headers.get("location")!, host.url);
    expect(signinUrl.pathname).toBe("/api/signin");
    const page = await userAgentGet(signinUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(page.headers.get("content-security-policy")).toContain(`form-action 'self' ${PRODUCT_ORIGIN}`);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    expect(html).toContain('<label for="email">Email</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).not.toMatch(/<script/i);
    const formCookie = page.headers
      .getSetCookie()
      .find((line) => line.startsWith("__Host-hub_form="))!
      .split(";")[0]!;
    const field = (name: string) =>
      new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]!.replace(/&amp;/g, "&");
    const post = await host.fetch("/api/signin", {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: formCookie,
        origin: host.url,
        "sec-fetch-site": "same-origin",
      },
      body: new URLSearchParams({
        step: "password",
        form_token: field("form_token"),
        return_to: field("return_to"),
        email: org.owner.email,
        password: org.owner.password,
      }),
    });
    expect(post.status).toBe(303);
    const back = new URL(post.headers.get("location")!, host.url);
    expect(back.pathname).toBe("/api/oauth/authorize");
    const session = rememberSecret(
      post.headers
        .getSetCookie()
        .find((line) => line.startsWith("__Host-hub_session="))!
        .split(";")[0]!,
    );
    const answer = await userAgentGet(back, session);
    const callback = new URL(answer.headers.get("location")!);
    expect(callback.searchParams.get("state")).toBe("st-1");
    expect(callback.searchParams.get("iss")).toBe(`${host.url}/api`);
    const tokens = await tokensOf(
      await exchange(rememberSecret(callback.searchParams.get("code")!), verifier),
    );
    expect(await agentsStatus(tokens.access_token)).toBe(200);
  });

  it("answers a wrong password and an unknown email with the same error, a lockout with when to retry, a stale form with 403", async () => {
    const page = await userAgentGet(`${host.url}/api/signin`);
    const html = await page.text();
    const formCookie = page.headers.getSetCookie()[0]!.split(";")[0]!;
    const formToken = /name="form_token" value="([^"]*)"/.exec(html)![1]!;
    const submit = (email: string, password: string, tokenValue = formToken) =>
      host.fetch("/api/signin", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: formCookie },
        body: new URLSearchParams({ step: "password", form_token: tokenValue, email, password }),
      });
    const target = await createOrg(host);
    const wrong = await submit(target.owner.email, "wrong-password-123");
    const unknown = await submit("nobody-here@example.com", "wrong-password-123");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const errorOf = async (response: Response) => /role="alert">([^<]*)</.exec(await response.text())?.[1];
    const wrongError = await errorOf(wrong);
    expect(wrongError).toBe("The email or password is incorrect.");
    expect(await errorOf(unknown)).toBe(wrongError);
    for (let i = 0; i < 4; i++) await submit(target.owner.email, "wrong-password-123");
    const locked = await submit(target.owner.email, target.owner.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await errorOf(locked)).toMatch(/locked\. Try again in \d+ minutes?\./);
    const stale = await submit(org.owner.email, org.owner.password, "x".repeat(43));
    expect(stale.status).toBe(403);
    expect(stale.headers.getSetCookie().some((line) => line.startsWith("__Host-hub_session="))).toBe(false);
  });

  it("shows an error page and never redirects for an unknown client or an unregistered redirect URI", async () => {
    const { challenge } = pkcePair();
    const cases = [
      goodParams(challenge, { client_id: "nosuch" }),
      goodParams(challenge, { redirect_uri: `${AGENTS_REDIRECT}/` }),
      goodParams(challenge, { redirect_uri: "http://127.0.0.1:45872/callback" }),
      goodParams(challenge, { redirect_uri: `${EVIL}/callback` }),
      goodParams(challenge, { redirect_uri: PSA_REDIRECT }),
    ];
    for (const params of cases) {
      const answer = await userAgentGet(authorizeUrl(params));
      expect(answer.status).toBe(400);
      expect(answer.headers.get("location")).toBeNull();
      expect(answer.headers.get("content-type")).toMatch(/text\/html/);
    }
  });

  it("redirects errors once the redirect URI is trusted: PKCE missing or plain, prompt=none without a session", async () => {
    const { challenge } = pkcePair();
    const errorOf = async (params: Record<string, string>) => {
      const answer = await userAgentGet(authorizeUrl(params));
      expect(answer.status).toBe(302);
      const location = new URL(answer.headers.get("location")!);
      expect(`${location.origin}${location.pathname}`).toBe(AGENTS_REDIRECT);
      return { error: location.searchParams.get("error"), state: location.searchParams.get("state") };
    };
    const { code_challenge: _c, ...noChallenge } = goodParams(challenge);
    expect(await errorOf(noChallenge)).toEqual({ error: "invalid_request", state: "st-1" });
    expect(await errorOf(goodParams(challenge, { code_challenge_method: "plain" }))).toMatchObject({
      error: "invalid_request",
    });
    expect(await errorOf(goodParams(challenge, { prompt: "none" }))).toEqual({
      error: "login_required",
      state: "st-1",
    });
    expect(await errorOf(goodParams(challenge, { response_type: "token" }))).toMatchObject({
      error: "unsupported_response_type",
    });
  });

  it("refuses a missing or wrong PKCE verifier, another redirect URI, and a wrong client secret", async () => {
    const session = await login(host, org.owner.email, org.owner.password);
    const { verifier, challenge } = pkcePair();
    const missing = await token({
      grant_type: "authorization_code",
      code: await codeFor(session, challenge),
      redirect_uri: AGENTS_REDIRECT,
      client_id: "agents",
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: "invalid_grant" });
    const wrong = await exchange(await codeFor(session, challenge), pkcePair().verifier);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: "invalid_grant" });
    const otherUri = await token({
      grant_type: "authorization_code",
      code: await codeFor(session, challenge),
      redirect_uri: `${AGENTS_REDIRECT}?x=1`,
      client_id: "agents",
      code_verifier: verifier,
    });
    expect(await otherUri.json()).toMatchObject({ error: "invalid_grant" });
    const badSecret = await token(
      {
        grant_type: "authorization_code",
        code: await codeFor(session, challenge),
        redirect_uri: AGENTS_REDIRECT,
        code_verifier: verifier,
      },
      basic("agents", "not-the-secret-not-the-secret-0000"),
    );
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toMatchObject({ error: "invalid_client" });
    expect(badSecret.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect(await (await token({ grant_type: "password", client_id: "agents" })).json()).toMatchObject({
      error: "unsupported_grant_type",
    });
  });

  it("revokes what a code issued when the code is used a second time", async () => {
    const session = await login(host, org.owner.email, org.owner.password);
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(session, challenge);
    const first = await tokensOf(await exchange(code, verifier));
    expect(await agentsStatus(first.access_token)).toBe(200);
    const second = await exchange(code, verifier);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: "invalid_grant" });
    expect(await agentsStatus(first.access_token)).toBe(401);
    const refresh = await token({
      grant_type: "refresh_token",
      refresh_token: first.refresh_token,
      client_id: "agents",
    });
    expect(await refresh.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("detects refresh token reuse: the whole family and the session are revoked, and products are told", async () => {
    const session = await login(host, org.owner.email, org.owner.password);
    const { verifier, challenge } = pkcePair();
    const first = await tokensOf(await exchange(await codeFor(session, challenge), verifier));
    const refresh = (value: string) =>
      token({ grant_type: "refresh_token", refresh_token: value, client_id: "agents" });
    const second = await tokensOf(await refresh(first.refresh_token));
    expect(await agentsStatus(second.access_token)).toBe(200);
    const replay = await refresh(first.refresh_token);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
    expect(await (await refresh(second.refresh_token)).json()).toMatchObject({ error: "invalid_grant" });
    expect(await agentsStatus(second.access_token)).toBe(401);
    expect(await agentsStatus(first.access_token)).toBe(401);
    await expect(accessToken(host, session, "hub")).rejects.toThrow(/401/);
    await busOf(host).idle();
    const reasons = busOf(host)
      .published()
      .map((message) => message.body as CloudEvent)
      .filter((event) => event.type === "hub.auth.session_ended")
      .map((event) => (event.data as { reason: string }).reason);
    expect(reasons).toContain("refresh_reuse");
  });

  it("gives CORS to the registered origin only, and refuses cross-site form posts", async () => {
    const fromProduct = await token(
      { grant_type: "refresh_token", refresh_token: "x", client_id: "agents" },
      { origin: PRODUCT_ORIGIN },
    );
    expect(fromProduct.headers.get("access-control-allow-origin")).toBe(PRODUCT_ORIGIN);
    const fromEvil = await token(
      { grant_type: "refresh_token", refresh_token: "x", client_id: "agents" },
      { origin: EVIL },
    );
    expect(fromEvil.headers.get("access-control-allow-origin")).toBeNull();
    const session = await login(host, org.owner.email, org.owner.password);
    const crossSite = {
      origin: EVIL,
      "sec-fetch-site": "cross-site",
      "content-type": "application/x-www-form-urlencoded",
    };
    const signin = await host.fetch("/api/signin", {
      method: "POST",
      headers: crossSite,
      body: new URLSearchParams({ step: "password", email: org.owner.email, password: org.owner.password }),
    });
    expect(signin.status).toBe(403);
    const logout = await host.fetch("/api/oauth/logout", {
      method: "POST",
      headers: { ...crossSite, cookie: session },
      body: "confirm=yes",
    });
    expect(logout.status).toBe(403);
    expect(await accessToken(host, session, "hub")).toMatch(/^ey/);
  });

  it("introspection needs the product's secret; a public caller and a wrong secret get invalid_client", async () => {
    const introspect = (headers: Record<string, string>) =>
      host.fetch("/api/oauth/introspect", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams({ token: "x", client_id: "psa" }),
      });
    expect((await introspect({})).status).toBe(401);
    expect((await introspect(basic("psa", "wrong-wrong-wrong-wrong-wrong-wrong"))).status).toBe(401);
    const ok = await introspect(basic("psa", PSA_SECRET));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ active: false });
  });
});
