// A tiny product web app on its own loopback origin for browser tests: it starts Hub's sign-in, then, in the page,
// exchanges the code with fetch (CORS) and calls Hub's Agents API with the token, as a product's browser app would.
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface SsoProduct {
  origin: string;
  redirectUri: string;
  /** Every path the browser asked this product for, in order. */
  requests: string[];
  close(): Promise<void>;
}

const startPage = (hubApi: string, clientId: string, redirectUri: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Product</title></head><body>
<h1>Product</h1><button id="signin">Sign in with Hub</button>
<script>
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
document.getElementById("signin").addEventListener("click", async () => {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem("pkce", JSON.stringify({ verifier, state }));
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const query = new URLSearchParams({ response_type: "code", client_id: ${JSON.stringify(clientId)},
    redirect_uri: ${JSON.stringify(redirectUri)}, scope: "openid profile email", state,
    code_challenge: challenge, code_challenge_method: "S256" });
  location.assign(${JSON.stringify(hubApi)} + "/oauth/authorize?" + query);
});
</script></body></html>`;

const callbackPage = (hubApi: string, clientId: string, redirectUri: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Product callback</title></head><body>
<h1>Signing you in…</h1><pre id="result"></pre>
<script>
(async () => {
  const out = document.getElementById("result");
  const params = new URLSearchParams(location.search);
  const saved = JSON.parse(sessionStorage.getItem("pkce") || "{}");
  if (params.get("state") !== saved.state) { out.textContent = "state mismatch"; return; }
  const tokenAnswer = await fetch(${JSON.stringify(hubApi)} + "/oauth/token", { method: "POST",
    body: new URLSearchParams({ grant_type: "authorization_code", code: params.get("code"),
      redirect_uri: ${JSON.stringify(redirectUri)}, client_id: ${JSON.stringify(clientId)}, code_verifier: saved.verifier }) });
  const tokens = await tokenAnswer.json();
  const agents = await fetch(${JSON.stringify(hubApi)} + "/agents", { headers: { authorization: "Bearer " + tokens.access_token } });
  const list = await agents.json();
  out.textContent = JSON.stringify({ token_status: tokenAnswer.status, has_id_token: Boolean(tokens.id_token),
    agents_status: agents.status, agents: list.items.length });
  document.title = "Signed in";
})().catch((error) => { document.getElementById("result").textContent = "error: " + error; });
</script></body></html>`;

/** Listens on 127.0.0.1 (another origin than Hub's http://localhost:port) on a free port. */
export async function startSsoProduct(hubApi: () => string, clientId: string): Promise<SsoProduct> {
  const requests: string[] = [];
  let origin = "";
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin);
    requests.push(`${url.pathname}${url.search}`);
    const html =
      url.pathname === "/"
        ? startPage(hubApi(), clientId, `${origin}/callback`)
        : url.pathname === "/callback"
          ? callbackPage(hubApi(), clientId, `${origin}/callback`)
          : null;
    res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(html ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    redirectUri: `${origin}/callback`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
