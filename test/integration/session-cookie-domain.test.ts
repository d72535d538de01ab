// With HUB_COOKIE_DOMAIN set, the session cookie is `hub_session` shared with that domain (products on siblings).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost } from "../support/devhost";
import { createOrg, rememberSecret } from "../support/identity";

describe("the session cookie on a shared domain", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  beforeAll(async () => {
    host = await bootDevHost({ settings: { HUB_COOKIE_DOMAIN: "theonestack.test" } });
  });
  afterAll(() => host.stop());

  it("is hub_session with Domain, and that name (not __Host-) buys a token", async () => {
    const org = await createOrg(host);
    const response = await host.fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: org.owner.email, password: org.owner.password }),
    });
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(/^hub_session=/);
    expect(cookie).toMatch(/Domain=theonestack\.test/i);
    expect(cookie).toMatch(/; Secure/i);
    const pair = rememberSecret(cookie!.split(";")[0]!);
    const exchange = (value: string) =>
      host.fetch("/api/auth/token", {
        method: "POST",
        headers: { "content-type": "application/json", cookie: value },
        body: JSON.stringify({ audience: "hub" }),
      });
    expect((await exchange(pair)).status).toBe(200);
    expect((await exchange(`__Host-${pair}`)).status).toBe(401);
  });
});
