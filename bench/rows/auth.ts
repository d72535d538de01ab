// Auth rows: warm token and integration key → principal vs their raw crypto, Cosmos requests per keyed request, and
// sign-ins/s vs raw scrypt/s at the same cost.
import { createHmac, createPublicKey, scrypt, verify } from "node:crypto";
import { HttpRequest } from "@azure/functions";
import { jwtVerify } from "jose";
import { SCRYPT_COST } from "../../shared/auth/password";
import { importedKey, keyRing } from "../../shared/auth/signing-keys";
import { authenticate } from "../../shared/http/auth";
import type { Measured } from "../harness";
import { compare, measure } from "../harness";
import type { BenchRowsFn } from "./index";

const json = { "content-type": "application/json" };

const combine = (runs: Measured[]): Measured => ({
  label: runs[0]!.label,
  opsPerSec: runs.reduce((sum, run) => sum + run.opsPerSec, 0) / runs.length,
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, {
    method: "POST",
    headers: { ...json, ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`bench setup: ${url} answered ${response.status}: ${await response.text()}`);
  return response;
}

const rows: BenchRowsFn = async (host) => {
  const email = `bench-auth-${Date.now()}@example.com`;
  const password = "bench-password-0123456789";
  await post(
    `${host.url}/api/orgs`,
    {
      slug: `bench-auth-${Date.now()}`,
      name: "Bench auth",
      entitlements: ["agents"],
      owner: { email, firstName: "Bench", lastName: "Owner", password },
    },
    { authorization: `Bearer ${process.env.PLATFORM_ADMIN_TOKEN}` },
  );
  const login = () => post(`${host.url}/api/auth/login`, { email, password });
  const cookie = (await login()).headers.getSetCookie()[0]!.split(";")[0]!;
  const token = (
    (await (await post(`${host.url}/api/auth/token`, { audience: "agents" }, { cookie })).json()) as {
      access_token: string;
    }
  ).access_token;

  // The same token, checked three ways, in this process.
  const request = new HttpRequest({
    method: "GET",
    url: `${host.url}/api/agents`,
    headers: { authorization: `Bearer ${token}` },
  });
  const policy = { audience: "agents" as const, roles: ["admin" as const, "technician" as const] };
  const key = (await keyRing()).keys.at(-1)!;
  const publicKey = createPublicKey({ key: key.public_jwk as never, format: "jwk" });
  const cryptoKey = await importedKey(key, "public");
  const [headerPart, payloadPart, signaturePart] = token.split(".");
  const signingInput = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart!, "base64url");
  if (!verify("RSA-SHA256", signingInput, publicKey, signature))
    throw new Error("bench setup: bad signature");

  const warmAuth = await measure("authenticate(): token → principal", () => authenticate(request, policy), {
    ms: 3_000,
    warmup: 200,
  });
  const rawVerify = await measure(
    "crypto.verify RS256",
    async () => verify("RSA-SHA256", signingInput, publicKey, signature),
    { ms: 3_000, warmup: 200 },
  );
  const joseVerify = await measure(
    "jose jwtVerify",
    () => jwtVerify(token, cryptoKey, { algorithms: ["RS256"], typ: "at+jwt", audience: "agents" }),
    { ms: 3_000, warmup: 200 },
  );

  // An integration key, warm, with usage counting on: what each keyed request costs in crypto and in Cosmos requests.
  const hubToken = (
    (await (await post(`${host.url}/api/auth/token`, { audience: "hub" }, { cookie })).json()) as {
      access_token: string;
    }
  ).access_token;
  const issued = (await (
    await post(
      `${host.url}/api/integration-keys`,
      { name: "bench", scopes: ["agents:read"] },
      { authorization: `Bearer ${hubToken}` },
    )
  ).json()) as { key: string };
  const keyRequest = new HttpRequest({
    method: "GET",
    url: `${host.url}/api/agents`,
    headers: { "x-integration-key": issued.key, "client-ip": "127.0.0.1:1" },
  });
  const keyPolicy = { ...policy, scopes: ["agents:read" as const] };
  await authenticate(keyRequest, keyPolicy);
  let keyedCalls = 0;
  const requestsBefore = host.cosmos!.requestCount;
  const warmKey = await measure(
    "authenticate(): key → principal, usage counted",
    async () => {
      keyedCalls++;
      return authenticate(keyRequest, keyPolicy);
    },
    { ms: 3_000, warmup: 200 },
  );
  const keyRequests = host.cosmos!.requestCount - requestsBefore;
  const rawHmac = await measure(
    "HMAC-SHA-256 of the key",
    async () => createHmac("sha256", "bench-pepper").update(issued.key).digest("base64"),
    { ms: 3_000, warmup: 200 },
  );

  // Sign-ins over HTTP vs scrypt alone, one at a time, alternated in rounds so load from elsewhere hits both alike.
  const { N, r, p } = SCRYPT_COST;
  const rawScrypt = () =>
    new Promise<Buffer>((resolve, reject) =>
      scrypt(password, "bench-salt-16byt", 32, { N, r, p, maxmem: 256 * N * r }, (error, derived) =>
        error ? reject(error) : resolve(derived),
      ),
    );
  const rounds = { logins: [] as Measured[], hashes: [] as Measured[] };
  for (let round = 0; round < 4; round++) {
    rounds.logins.push(await measure("POST /api/auth/login", login, { ms: 3_000, warmup: 1 }));
    rounds.hashes.push(await measure("scrypt N=2^15 r=8 p=3", rawScrypt, { ms: 3_000, warmup: 1 }));
  }
  const logins = combine(rounds.logins);
  const hashes = combine(rounds.hashes);

  return [
    {
      ...compare(
        "auth: warm token → principal vs raw RS256 verify",
        warmAuth,
        rawVerify,
        "cost ≤ 1.2× (ratio ≥ 0.83)",
      ),
      note: "warm: signature, key ring, org/user/jti lookups all cached (no Cosmos request)",
    },
    {
      ...compare("auth: warm integration key → principal vs raw HMAC-SHA-256", warmKey, rawHmac),
      note: "shape + checksum, cached key document (≤ 4 s), HMAC, constant-time compare, usage counted in memory",
    },
    {
      name: "auth: Cosmos requests per keyed request, warm, usage counting on",
      subject: { label: "Cosmos requests/request", opsPerSec: keyRequests / keyedCalls },
      baseline: { label: "goal", opsPerSec: 0 },
      ratio: keyRequests / keyedCalls,
      goal: "≈ 0 (one key re-read per 4 s, one usage flush per 10 s, per instance)",
      note: `${keyRequests} requests over ${keyedCalls} keyed requests`,
    },
    {
      ...compare("auth: jose jwtVerify (first sight of a token) vs raw RS256 verify", joseVerify, rawVerify),
      note: "what a token costs before its signature is cached (WebCrypto in jose)",
    },
    compare("auth: sign-ins/s vs raw scrypt/s (same cost)", logins, hashes, "≥ 0.9×"),
  ];
};

export default rows;
