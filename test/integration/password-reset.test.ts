// Password reset and change through HTTP, the outbox and the bus (docs/auth.md, "Password reset", "Password change").
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CloudEvent } from "../../shared/events/cloud-event";
import { bootDevHost, busOf, problemOf } from "../support/devhost";
import type { CreatedOrg } from "../support/identity";
import {
  accessToken,
  bearer,
  createOrg,
  createUserWithPassword,
  deactivateUser,
  login,
  MANY_SIGN_INS_MS,
  rememberSecret,
} from "../support/identity";
import type { Host } from "../support/oauth";
import { AGENTS_REDIRECT, clientSettings, userAgentGet } from "../support/oauth";
import { durableOf } from "../support/executions";

const json = { "content-type": "application/json" };
const form = { "content-type": "application/x-www-form-urlencoded" };

/** A good new password, unique per call so no test can pass on another's. */
const freshPassword = () => rememberSecret(`tidal lanterns ${randomUUID()}`);

describe("password reset and change", () => {
  let host: Host;
  let org: CreatedOrg;
  beforeAll(async () => {
    host = await bootDevHost({ settings: clientSettings() });
    org = await createOrg(host);
  });
  afterAll(() => host.stop());

  const forgot = (email: string) =>
    host.fetch("/api/auth/password/forgot", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ email }),
    });

  /**
   * What the outbox holds for `to` once the reset emails of every request so far have gone (Durable idle), beside
   * the invitation every user made through IAM received.
   */
  async function mailTo(to: string): Promise<{ subject: string; text: string; links: string[] }[]> {
    await durableOf(host).idle();
    const answer = await host.fetch(`/dev/outbox?to=${encodeURIComponent(to)}`);
    const { items } = (await answer.json()) as {
      items: { subject: string; text: string; links: string[]; idempotency_key: string }[];
    };
    return items.filter((item) => !item.idempotency_key.startsWith("invitation:"));
  }

  async function resetLinkFor(email: string): Promise<string> {
    expect((await forgot(email)).status).toBe(202);
    const mail = await mailTo(email);
    const link = mail.at(-1)?.links[0];
    expect(link, "a reset email with its link").toBeDefined();
    return rememberSecret(link!);
  }

  /** GET the link like a browser: the page, and the form token with the cookie that carries it. */
  async function openForm(
    link: string,
  ): Promise<{ status: number; html: string; formCookie: string; formToken: string }> {
    const page = await fetch(link);
    const html = await page.text();
    const formCookie = page.headers.getSetCookie().find((line) => line.startsWith("__Host-hub_form="));
    const formToken = /name="form_token" value="([^"]+)"/.exec(html)?.[1] ?? "";
    return { status: page.status, html, formCookie: formCookie?.split(";")[0] ?? "", formToken };
  }

  async function submit(link: string, password: string, confirm = password): Promise<Response> {
    const opened = await openForm(link);
    return fetch(link, {
      method: "POST",
      headers: { ...form, cookie: opened.formCookie },
      body: new URLSearchParams({ form_token: opened.formToken, password, password_confirm: confirm }),
    });
  }

  const passwordEvents = () =>
    busOf(host)
      .published()
      .map((message) => message.body as CloudEvent)
      .filter((event) => event.type === "hub.auth.password_changed");

  it(
    "answers a known, an unknown and a deactivated email alike; only the active account gets a link",
    async () => {
      const known = await createUserWithPassword(host, org, { orgRole: "member" });
      const gone = await createUserWithPassword(host, org, { orgRole: "member" });
      await deactivateUser(host, org, gone.id);
      const unknown = `nobody-${randomUUID().slice(0, 8)}@example.com`;

      const answers = [];
      for (const email of [known.email, unknown, gone.email]) {
        const response = await forgot(email);
        answers.push({
          status: response.status,
          type: response.headers.get("content-type"),
          cache: response.headers.get("cache-control"),
          body: await response.text(),
        });
      }
      expect(answers[0]!.status).toBe(202);
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      // The address is case-insensitive, like sign-in's.
      const upper = await forgot(known.email.toUpperCase());
      expect({ status: upper.status, body: await upper.text() }).toEqual({
        status: answers[0]!.status,
        body: answers[0]!.body,
      });

      const mail = await mailTo(known.email);
      expect(mail).toHaveLength(2);
      expect(mail[0]!.subject).toBe("Reset your Hub password");
      expect(mail[0]!.links[0]).toMatch(new RegExp(`^${host.url}/api/auth/password/reset/v2\\.`));
      expect(mail[0]!.links[1]).toBeUndefined();
      expect(await mailTo(unknown)).toEqual([]);
      expect(await mailTo(gone.email)).toEqual([]);
      // Nothing about the emails reaches the bus either.
      expect(passwordEvents()).toEqual([]);
    },
    MANY_SIGN_INS_MS,
  );

  it("refuses an invalid body with 422", async () => {
    const bad = await host.fetch("/api/auth/password/forgot", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ email: "not an email" }),
    });
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors).toEqual([expect.objectContaining({ path: "email" })]);
  });

  it(
    "a reset ends every session, access token and refresh token at once; the new password signs in",
    async () => {
      const user = await createUserWithPassword(host, org, { orgRole: "admin" });
      const sessionA = await login(host, user.email, user.password);
      const sessionB = await login(host, user.email, user.password);
      const hubToken = await accessToken(host, sessionA, "hub");
      const agentsToken = await accessToken(host, sessionB, "agents");
      const refresh = await refreshTokenOf(sessionA);
      const agentsStatus = async (token: string) =>
        (await host.fetch("/api/agents", { headers: bearer(token) })).status;
      expect(await agentsStatus(agentsToken)).toBe(200);

      const link = await resetLinkFor(user.email);
      const opened = await openForm(link);
      expect(opened.status).toBe(200);
      expect(opened.html).toContain(user.email);
      const newPassword = freshPassword();
      const done = await submit(link, newPassword);
      expect(done.status).toBe(200);
      expect(await done.text()).toContain("Password changed");

      // Revocation is done before the reset answers: no wait is needed on this instance (docs/auth.md: 5 s on any).
      expect(await agentsStatus(agentsToken)).toBe(401);
      const users = await host.fetch(`/api/users/${user.id}`, { headers: bearer(hubToken) });
      expect(users.status).toBe(401);
      const refreshed = await host.fetch("/api/oauth/token", {
        method: "POST",
        headers: form,
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: refresh,
          client_id: "agents",
        }),
      });
      expect(refreshed.status).toBe(400);
      expect(((await refreshed.json()) as { error: string }).error).toBe("invalid_grant");
      for (const session of [sessionA, sessionB]) {
        const exchanged = await host.fetch("/api/auth/token", {
          method: "POST",
          headers: { ...json, cookie: session },
          body: JSON.stringify({ audience: "hub" }),
        });
        expect(exchanged.status).toBe(401);
      }

      const oldPassword = await host.fetch("/api/auth/login", {
        method: "POST",
        headers: json,
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
      expect(oldPassword.status).toBe(401);
      const fresh = await login(host, user.email, newPassword);
      expect(await agentsStatus(await accessToken(host, fresh, "agents"))).toBe(200);

      await busOf(host).idle();
      const events = passwordEvents().filter((event) => event.subject === user.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        orgid: org.orgId,
        data: { user_id: user.id, via: "reset", kept_session_id: null },
      });

      // The link is spent: its page and its form answer 410, and so does an earlier link of the same user.
      expect((await fetch(link)).status).toBe(410);
      expect((await submit(link, freshPassword())).status).toBe(410);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "a link is single-use, dies when a later one is used, and a forged or garbled one is 404",
    async () => {
      const user = await createUserWithPassword(host, org, { orgRole: "member" });
      const first = await resetLinkFor(user.email);
      const second = await resetLinkFor(user.email);
      expect(second).not.toBe(first);
      expect((await submit(second, freshPassword())).status).toBe(200);
      // The first was never used, but the password changed after it was sent.
      expect((await openForm(first)).status).toBe(410);
      expect((await submit(first, freshPassword())).status).toBe(410);

      const token = new URL(first).pathname.split("/").at(-1)!;
      const forged = `${token.slice(0, -4)}${token.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
      expect((await fetch(`${host.url}/api/auth/password/reset/${forged}`)).status).toBe(404);
      expect((await fetch(`${host.url}/api/auth/password/reset/not-a-token`)).status).toBe(404);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    "the reset form answers 422 naming each broken rule, 403 for a stale form, and stays usable",
    async () => {
      const local = `rules-${randomUUID().slice(0, 6)}`;
      const user = await createUserWithPassword(host, org, {
        orgRole: "member",
        email: `${local}@example.com`,
      });
      const link = await resetLinkFor(user.email);
      const cases: [string, string][] = [
        ["short pw", "must be at least 12 characters"],
        ["Qwerty123456", "is one of the most common passwords"],
        [`my ${local} passphrase`, "must not contain the part of your email address before the @"],
      ];
      for (const [password, message] of cases) {
        const answer = await submit(link, password);
        expect(answer.status, password).toBe(422);
        expect(answer.headers.get("content-type")).toMatch(/^text\/html/);
        expect(await answer.text(), password).toContain(message);
      }
      const mismatch = await submit(link, freshPassword(), freshPassword());
      expect(mismatch.status).toBe(422);
      expect(await mismatch.text()).toContain("not the same");

      const stale = await fetch(link, {
        method: "POST",
        headers: form,
        body: new URLSearchParams({ form_token: "x".repeat(43), password: freshPassword() }),
      });
      expect(stale.status).toBe(403);
      const crossSite = await fetch(link, {
        method: "POST",
        headers: { ...form, "sec-fetch-site": "cross-site", origin: "https://evil.example" },
        body: new URLSearchParams({ password: freshPassword() }),
      });
      expect(crossSite.status).toBe(403);

      // None of those spent the link, and the old password still works until it is used.
      await login(host, user.email, user.password);
      expect((await submit(link, freshPassword())).status).toBe(200);
    },
    MANY_SIGN_INS_MS,
  );

  describe("change while signed in", () => {
    const change = (session: string, body: unknown, headers: Record<string, string> = {}) =>
      host.fetch("/api/auth/password/change", {
        method: "POST",
        headers: { ...json, cookie: session, ...headers },
        body: JSON.stringify(body),
      });

    it(
      "keeps this session, ends the others with their tokens, and publishes the change",
      async () => {
        const user = await createUserWithPassword(host, org, { orgRole: "admin" });
        const here = await login(host, user.email, user.password);
        const elsewhere = await login(host, user.email, user.password);
        const hereToken = await accessToken(host, here, "hub");
        const elsewhereToken = await accessToken(host, elsewhere, "hub");
        const elsewhereRefresh = await refreshTokenOf(elsewhere);
        const newPassword = freshPassword();

        const changed = await change(here, { current_password: user.password, new_password: newPassword });
        expect(changed.status).toBe(204);

        const exchange = (session: string) =>
          host.fetch("/api/auth/token", {
            method: "POST",
            headers: { ...json, cookie: session },
            body: JSON.stringify({ audience: "hub" }),
          });
        expect((await exchange(here)).status).toBe(200);
        expect((await exchange(elsewhere)).status).toBe(401);
        const me = (token: string) => host.fetch(`/api/users/${user.id}`, { headers: bearer(token) });
        expect((await me(hereToken)).status).toBe(200);
        expect((await me(elsewhereToken)).status).toBe(401);
        const refreshed = await host.fetch("/api/oauth/token", {
          method: "POST",
          headers: form,
          body: new URLSearchParams({
            grant_type: "refresh_token",
            refresh_token: elsewhereRefresh,
            client_id: "agents",
          }),
        });
        expect(refreshed.status).toBe(400);

        await login(host, user.email, newPassword);
        const old = await host.fetch("/api/auth/login", {
          method: "POST",
          headers: json,
          body: JSON.stringify({ email: user.email, password: user.password }),
        });
        expect(old.status).toBe(401);

        await busOf(host).idle();
        const events = passwordEvents().filter((event) => event.subject === user.id);
        expect(events).toHaveLength(1);
        expect(events[0]!.data).toMatchObject({
          user_id: user.id,
          via: "change",
          kept_session_id: expect.any(String),
        });
      },
      MANY_SIGN_INS_MS,
    );

    it(
      "refuses a wrong current password (403, counted toward the lockout), weak new ones (422), no session (401), cross-site (403)",
      async () => {
        const local = `change-${randomUUID().slice(0, 6)}`;
        const user = await createUserWithPassword(host, org, {
          orgRole: "member",
          email: `${local}@example.com`,
        });
        const session = await login(host, user.email, user.password);

        for (const [password, message] of [
          ["short pw", "must be at least 12 characters"],
          ["qwerty123456", "is one of the most common passwords: choose one that is harder to guess"],
          [`${local.toUpperCase()} and more`, "must not contain the part of your email address before the @"],
        ]) {
          const answer = await change(session, { current_password: user.password, new_password: password });
          expect(answer.status, password).toBe(422);
          expect((await problemOf(answer)).errors).toEqual([{ path: "new_password", message }]);
        }

        const noSession = await host.fetch("/api/auth/password/change", {
          method: "POST",
          headers: json,
          body: JSON.stringify({ current_password: user.password, new_password: freshPassword() }),
        });
        expect(noSession.status).toBe(401);
        const crossSite = await change(
          session,
          { current_password: user.password, new_password: freshPassword() },
          { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
        );
        expect(crossSite.status).toBe(403);

        // Five wrong guesses lock the account (docs/auth.md): then even the right password is refused, here and at sign-in.
        for (let guess = 0; guess < 5; guess++) {
          const wrong = await change(session, {
            current_password: `wrong ${guess} guess`,
            new_password: freshPassword(),
          });
          expect(wrong.status).toBe(403);
          expect((await problemOf(wrong)).errors).toEqual([
            { path: "current_password", message: "is incorrect" },
          ]);
        }
        const locked = await change(session, {
          current_password: user.password,
          new_password: freshPassword(),
        });
        expect(locked.status).toBe(429);
        expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
        const signIn = await host.fetch("/api/auth/login", {
          method: "POST",
          headers: json,
          body: JSON.stringify({ email: user.email, password: user.password }),
        });
        expect(signIn.status).toBe(429);
      },
      MANY_SIGN_INS_MS,
    );
  });

  it(
    "the sessions subscriber ends what a password change held before it, should its instance not have (the bus)",
    async () => {
      const user = await createUserWithPassword(host, org, { orgRole: "admin" });
      const before = await login(host, user.email, user.password);
      const beforeToken = await accessToken(host, before, "hub");
      // Another instance changed the password and published this, then failed before revoking anything.
      busOf(host).publish("the-one-bus", {
        specversion: "1.0",
        id: randomUUID(),
        source: "/hub",
        type: "hub.auth.password_changed",
        time: new Date(host.clock.now()).toISOString(),
        subject: user.id,
        datacontenttype: "application/json",
        orgid: org.orgId,
        data: { user_id: user.id, via: "reset", kept_session_id: null, ip: null, user_agent: null },
      });
      const after = await login(host, user.email, user.password);
      await busOf(host).idle();
      const exchange = (session: string) =>
        host.fetch("/api/auth/token", {
          method: "POST",
          headers: { ...json, cookie: session },
          body: JSON.stringify({ audience: "hub" }),
        });
      expect((await exchange(before)).status).toBe(401);
      expect((await host.fetch(`/api/users/${user.id}`, { headers: bearer(beforeToken) })).status).toBe(401);
      // A sign-in after the change (with the new password, in real life) stays.
      expect((await exchange(after)).status).toBe(200);
    },
    MANY_SIGN_INS_MS,
  );

  // Moves the clock 30 minutes: after every test that holds tokens.
  it(
    "answers 410 for a link older than 30 minutes, page and form alike",
    async () => {
      const user = await createUserWithPassword(host, org, { orgRole: "member" });
      const link = await resetLinkFor(user.email);
      expect((await fetch(link)).status).toBe(200);
      host.clock.advance(29 * 60 * 1000);
      expect((await fetch(link)).status).toBe(200);
      host.clock.advance(61 * 1000);
      const expired = await fetch(link);
      expect(expired.status).toBe(410);
      expect(await expired.text()).toContain("expired");
      expect((await submit(link, freshPassword())).status).toBe(410);
    },
    MANY_SIGN_INS_MS,
  );

  // Last in this file: it spends the address's budget (every request here comes from 127.0.0.1).
  it(
    "answers a flood from one address with 429 and Retry-After, whatever the email",
    async () => {
      const known = await createUserWithPassword(host, org, { orgRole: "member" });
      let answer: Response | undefined;
      for (let sent = 0; sent < 25; sent++) {
        answer = await forgot(`flood-${sent}-${randomUUID().slice(0, 6)}@example.com`);
        if (answer.status !== 202) break;
      }
      expect(answer!.status).toBe(429);
      expect(Number(answer!.headers.get("retry-after"))).toBeGreaterThan(0);
      const forKnown = await forgot(known.email);
      expect(forKnown.status).toBe(429);
      expect((await problemOf(forKnown)).detail).toEqual((await problemOf(answer!)).detail);
      expect(await mailTo(known.email)).toEqual([]);
    },
    MANY_SIGN_INS_MS,
  );

  /** An OAuth refresh token of the session (the agents client's code flow with PKCE). */
  async function refreshTokenOf(session: string): Promise<string> {
    const verifier = randomBytes(32).toString("base64url");
    const authorize = new URL(`${host.url}/api/oauth/authorize`);
    authorize.search = new URLSearchParams({
      response_type: "code",
      client_id: "agents",
      redirect_uri: AGENTS_REDIRECT,
      state: "s",
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      scope: "openid offline_access",
    }).toString();
    const redirected = await userAgentGet(authorize, session);
    const code = new URL(redirected.headers.get("location")!).searchParams.get("code")!;
    const answer = await host.fetch("/api/oauth/token", {
      method: "POST",
      headers: form,
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: rememberSecret(code),
        redirect_uri: AGENTS_REDIRECT,
        client_id: "agents",
        code_verifier: verifier,
      }),
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { refresh_token: string; access_token: string };
    rememberSecret(body.access_token);
    return rememberSecret(body.refresh_token);
  }
});
