// Hub SSO rows: the authorization code round trip vs today's session → token exchange, and refresh vs raw RS256 signing.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import type { Measured } from "../harness";
import { compare, measure } from "../harness";
import type { BenchRowsFn } from "./index";

/** The demo client `npm start` registers (local.settings.sample.json): a public client with PKCE here. */
const CLIENT_ID = "agents";
const REDIRECT_URI = "http://localhost:3000/callback";

const combine = (runs: Measured[]): Measured => ({
  label: runs[0]!.label,
  opsPerSec: runs.reduce((sum, run) => sum + run.opsPerSec, 0) / runs.length,
});

async function ok(response: Response, what: string): Promise<Response> {
  if (!response.ok && response.status !== 302)
    throw new Error(`bench: ${what} answered ${response.status}: ${await response.text()}`);
  return response;
}

const rows: BenchRowsFn = async (host) => {
  const email = `bench-oauth-${Date.now()}@example.com`;
  const password = "bench-password-0123456789";
  await ok(
    await fetch(`${host.url}/api/orgs`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${process.env.PLATFORM_ADMIN_TOKEN}`,
      },
      body: JSON.stringify({
        slug: `bench-oauth-${Date.now()}`,
        name: "Bench OAuth",
        entitlements: ["agents"],
        owner: { email, firstName: "Bench", lastName: "Owner", password },
      }),
    }),
    "POST /api/orgs",
  );
  const login = await ok(
    await fetch(`${host.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    }),
    "login",
  );
  const cookie = login.headers.getSetCookie()[0]!.split(";")[0]!;
  const form = (fields: Record<string, string>) =>
    fetch(`${host.url}/api/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });

  const roundTrip = async () => {
    const verifier = randomBytes(32).toString("base64url");
    const query = new URLSearchParams({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      scope: "openid",
      state: "bench",
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    });
    const authorized = await ok(
      await fetch(`${host.url}/api/oauth/authorize?${query}`, { redirect: "manual", headers: { cookie } }),
      "authorize",
    );
    const code = new URL(authorized.headers.get("location")!).searchParams.get("code")!;
    const tokens = await ok(
      await form({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        code_verifier: verifier,
      }),
      "code exchange",
    );
    return (await tokens.json()) as { refresh_token: string };
  };
  const exchange = async () =>
    ok(
      await fetch(`${host.url}/api/auth/token`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify({ audience: CLIENT_ID }),
      }),
      "exchange",
    ).then((response) => response.json());

  let refreshToken = (await roundTrip()).refresh_token;
  const refresh = async () => {
    const answer = await ok(
      await form({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: CLIENT_ID }),
      "refresh",
    );
    refreshToken = ((await answer.json()) as { refresh_token: string }).refresh_token;
  };
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const signingInput = Buffer.from("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9");
  const rawSign = async () => sign("RSA-SHA256", signingInput, privateKey);

  // Alternated in rounds, so load from elsewhere on the machine weighs on subject and baseline alike.
  const runs = {
    codes: [] as Measured[],
    exchanges: [] as Measured[],
    refreshes: [] as Measured[],
    signs: [] as Measured[],
  };
  for (let round = 0; round < 3; round++) {
    runs.codes.push(await measure("authorize + token (code, PKCE)", roundTrip, { ms: 2_000, warmup: 5 }));
    runs.exchanges.push(await measure("POST /api/auth/token", exchange, { ms: 2_000, warmup: 5 }));
    runs.refreshes.push(
      await measure("refresh_token grant (rotation, id_token)", refresh, { ms: 2_000, warmup: 5 }),
    );
    runs.signs.push(await measure("crypto.sign RS256 2048", rawSign, { ms: 2_000, warmup: 20 }));
  }
  return [
    {
      ...compare(
        "oauth: code round trips/s vs session → token exchanges/s",
        combine(runs.codes),
        combine(runs.exchanges),
      ),
      note: "two requests (authorize, token) and an id_token + refresh family against one exchange request",
    },
    {
      ...compare(
        "oauth: refreshes/s vs raw RS256 signatures/s",
        combine(runs.refreshes),
        combine(runs.signs),
      ),
      note: "a refresh signs twice (access token, id_token) and reads/writes its session, token and family documents",
    },
  ];
};

export default rows;
