// Signing key rotation: a successor is published a day before it signs, the old key stays until its last token expires.
import { join } from "node:path";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost } from "../support/devhost";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import type { CreatedOrg } from "../support/identity";

const probeFile = join(__dirname, "../../dist/test/fixtures/auth-probe.js");
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe("signing key rotation", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  let org: CreatedOrg;
  beforeAll(async () => {
    host = await bootDevHost({ extraFunctionFiles: [probeFile] });
    org = await createOrg(host);
  });
  afterAll(() => host.stop());

  const kids = async () =>
    ((await (await host.fetch("/api/.well-known/jwks.json")).json()) as { keys: { kid: string }[] }).keys.map(
      (key) => key.kid,
    );
  const freshToken = async () =>
    accessToken(host, await login(host, org.owner.email, org.owner.password), "hub");
  const kidOf = (token: string) => decodeProtectedHeader(token).kid!;
  const accepted = async (token: string) =>
    (await host.fetch("/api/test/probe/hub", { headers: bearer(token) })).status === 200;

  it("publishes the next key before it signs and retires the old one after its last token", async () => {
    const first = await freshToken();
    const firstKid = kidOf(first);
    expect(await kids()).toEqual([firstKid]);

    // 29 days and a minute later the successor is published, but the first key still signs.
    host.clock.advance(29 * DAY + MINUTE);
    const beforeSwitch = await freshToken();
    expect(kidOf(beforeSwitch)).toBe(firstKid);
    const published = await kids();
    expect(published).toHaveLength(2);
    const nextKid = published.find((kid) => kid !== firstKid)!;

    // Five minutes before the switch: a token from the first key that outlives the switch.
    host.clock.advance(DAY - 6 * MINUTE);
    const lastOfFirst = await freshToken();
    expect(kidOf(lastOfFirst)).toBe(firstKid);

    // After the switch the successor signs; the first key's last token still works, and both are published.
    host.clock.advance(6 * MINUTE);
    const afterSwitch = await freshToken();
    expect(kidOf(afterSwitch)).toBe(nextKid);
    expect(await accepted(lastOfFirst)).toBe(true);
    expect(await accepted(afterSwitch)).toBe(true);
    expect(await kids()).toEqual([firstKid, nextKid]);

    // A product backend, with plain jose and the served JWKS, accepts tokens of both keys meanwhile.
    const jwks = createRemoteJWKSet(new URL(`${host.url}/api/.well-known/jwks.json`));
    const at = new Date(host.clock.now());
    for (const token of [lastOfFirst, afterSwitch]) {
      await expect(jwtVerify(token, jwks, { audience: "hub", currentDate: at })).resolves.toBeDefined();
    }

    // Once the first key's last token has expired (10 min + 60 s leeway), the first key leaves the JWKS.
    host.clock.advance(16 * MINUTE + 1000);
    expect(await kids()).toEqual([nextKid]);
    expect(await accepted(await freshToken())).toBe(true);
  });
});
