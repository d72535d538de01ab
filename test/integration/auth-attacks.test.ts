// The token attack corpus: every forged, stale, misdirected or revoked token answers the same bare 401.
import { generateKeyPairSync, createPublicKey } from "node:crypto";
import { join } from "node:path";
import type { JWK, JWTPayload } from "jose";
import { SignJWT, importJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type * as SigningKeys from "../../shared/auth/signing-keys";
import { bootDevHost, builtModule, problemOf } from "../support/devhost";
import {
  accessToken,
  bearer,
  createOrg,
  login,
  rememberSecret,
  deactivateUser,
  userToken,
} from "../support/identity";
import type { CreatedOrg } from "../support/identity";

const probeFile = join(__dirname, "../../dist/test/fixtures/auth-probe.js");
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("token attack corpus", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  let org: CreatedOrg;
  let valid: string;
  let claims: JWTPayload;
  let header: Record<string, unknown>;
  let hubSigningKey: { kid: string; privateJwk: JWK; publicJwk: JWK };
  let expectedBody: Record<string, unknown>;

  const call = (token: string) => host.fetch("/api/test/probe/hub", { headers: bearer(token) });

  /** A token signed with Hub's real private key, so only the claim or header under test is wrong. */
  const signedByHub = async (
    overrides: JWTPayload,
    headerOverrides: Record<string, unknown> = {},
  ): Promise<string> =>
    rememberSecret(
      await new SignJWT({ ...claims, ...overrides })
        .setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: hubSigningKey.kid, ...headerOverrides })
        .sign(await importJWK(hubSigningKey.privateJwk, "RS256")),
    );

  const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const attackerJwk = attacker.publicKey.export({ format: "jwk" }) as JWK;
  const signedByAttacker = (headerFields: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", typ: "at+jwt", ...headerFields })
      .sign(attacker.privateKey);

  beforeAll(async () => {
    host = await bootDevHost({ extraFunctionFiles: [probeFile] });
    org = await createOrg(host);
    valid = await accessToken(host, await login(host, org.owner.email, org.owner.password), "hub");
    const [h, p] = valid.split(".");
    header = JSON.parse(Buffer.from(h!, "base64url").toString()) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as JWTPayload;
    const { keyRing } = builtModule<typeof SigningKeys>("shared/auth/signing-keys.js");
    const key = (await keyRing()).keys.find((entry) => entry.kid === header.kid)!;
    hubSigningKey = { kid: key.kid, privateJwk: key.private_jwk!, publicJwk: key.public_jwk };
    const missing = await host.fetch("/api/test/probe/hub", { headers: bearer("x.y.z") });
    const { request_id: _r, ...rest } = await problemOf(missing);
    expectedBody = rest;
  });
  afterAll(() => host.stop());

  async function expectBare401(token: string) {
    const response = await call(token);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    const { request_id: _r, ...body } = await problemOf(response);
    expect(body).toEqual(expectedBody);
  }

  it("accepts the genuine token (the control)", async () => {
    expect((await call(valid)).status).toBe(200);
    expect(expectedBody).toMatchObject({
      status: 401,
      code: "auth.invalid_token",
      detail: "The credential is not valid.",
    });
  });

  it("alg none", async () => {
    await expectBare401(`${b64({ ...header, alg: "none" })}.${b64(claims)}.`);
    await expectBare401(`${b64({ ...header, alg: "none" })}.${b64(claims)}.${valid.split(".")[2]}`);
  });

  it("HS256 signed with Hub's public key as the secret", async () => {
    const publicPem = createPublicKey({ key: hubSigningKey.publicJwk as never, format: "jwk" }).export({
      type: "spki",
      format: "pem",
    });
    for (const secret of [Buffer.from(publicPem), Buffer.from(JSON.stringify(hubSigningKey.publicJwk))]) {
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: hubSigningKey.kid })
        .sign(secret);
      await expectBare401(forged);
    }
  });

  it("an unknown kid, and Hub's kid on a token signed by another key", async () => {
    await expectBare401(await signedByAttacker({ kid: "attacker-key" }));
    await expectBare401(await signedByAttacker({ kid: hubSigningKey.kid }));
  });

  it("jku and jwk header injection", async () => {
    await expectBare401(await signedByAttacker({ kid: hubSigningKey.kid, jwk: attackerJwk }));
    await expectBare401(await signedByAttacker({ jwk: attackerJwk }));
    await expectBare401(await signedByAttacker({ kid: "a", jku: "http://127.0.0.1:1/jwks.json" }));
    // Even Hub's own key refuses to be named from the header.
    await expectBare401(await signedByHub({}, { jku: `${host.url}/api/.well-known/jwks.json` }));
  });

  it("expired beyond the 60 s leeway, and not yet valid beyond it (within the leeway both pass)", async () => {
    const nowSeconds = Math.floor(host.clock.now() / 1000);
    await expectBare401(
      await signedByHub({ exp: nowSeconds - 61, iat: nowSeconds - 700, nbf: nowSeconds - 700 }),
    );
    await expectBare401(await signedByHub({ nbf: nowSeconds + 120, iat: nowSeconds, exp: nowSeconds + 600 }));
    expect((await call(await signedByHub({ exp: nowSeconds - 30 }))).status).toBe(200);
    expect((await call(await signedByHub({ nbf: nowSeconds + 30 }))).status).toBe(200);
  });

  it("wrong audience, issuer or type", async () => {
    await expectBare401(await signedByHub({ aud: "agents" }));
    await expectBare401(await signedByHub({ aud: ["psa", "portal"] }));
    await expectBare401(await signedByHub({ iss: "https://evil.example.com/api" }));
    await expectBare401(await signedByHub({ iss: `${claims.iss}/` }));
    await expectBare401(await signedByHub({}, { typ: "JWT" }));
    await expectBare401(await signedByHub({}, { typ: undefined }));
    // An agents token on a hub route is a wrong audience too.
    const agents = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    await expectBare401(agents);
  });

  it("a tampered payload or signature", async () => {
    const [h, , s] = valid.split(".");
    await expectBare401(`${h}.${b64({ ...claims, orgRole: "owner", sub: "someone-else" })}.${s}`);
    await expectBare401(`${h}.${b64({ ...claims, exp: (claims.exp ?? 0) + 3600 })}.${s}`);
    await expectBare401(`${valid.slice(0, -4)}${valid.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`);
    await expectBare401(`${valid}.extra`);
  });

  it("a genuine signature on a jti Hub never issued", async () => {
    await expectBare401(await signedByHub({ jti: "00000000-0000-4000-8000-000000000000" }));
  });

  it("a revoked jti", async () => {
    const victim = await userToken(host, org, { orgRole: "member" }, "hub");
    expect((await call(victim.token)).status).toBe(200);
    const jti = (JSON.parse(Buffer.from(victim.token.split(".")[1]!, "base64url").toString()) as JWTPayload)
      .jti;
    const revoked = await host.fetch("/api/auth/revoke", {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(victim.token) },
      body: JSON.stringify({ jti }),
    });
    expect(revoked.status).toBe(204);
    await expectBare401(victim.token);
  });

  it("a deactivated user's token", async () => {
    const victim = await userToken(host, org, { orgRole: "member" }, "hub");
    await deactivateUser(host, org, victim.user.id);
    await expectBare401(victim.token);
  });

  it("garbage in the Authorization header", async () => {
    for (const value of [
      "Bearer",
      "Bearer ",
      "Basic dXNlcjpwYXNz",
      `Bearer ${valid} ${valid}`,
      "Bearer ###",
    ]) {
      const response = await host.fetch("/api/test/probe/hub", { headers: { authorization: value } });
      expect(response.status, value).toBe(401);
    }
    await expectBare401("a".repeat(10_000));
  });
});
