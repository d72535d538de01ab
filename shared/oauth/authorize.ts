// GET /api/oauth/authorize (docs/sso.md): checks the request, then a code for a live session, or the sign-in page.
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { readOrg, readUser } from "../identity/repository";
import { mayAccessProduct } from "../identity/model";
import type { Logger } from "../log";
import { currentSession } from "../auth/session";
import { SECOND_FACTOR_NEEDED, lacksRequiredSecondFactor } from "../mfa/policy";
import { issuer } from "../auth/tokens";
import type { OAuthClient } from "./clients";
import { clientById } from "./clients";
import { createCode } from "./codes";
import { oauthErrorPage } from "./pages";
import { PKCE_VALUE } from "./pkce";
import type { Scope } from "./scopes";
import { parseScope } from "./scopes";
import { AUTHORIZE_PATH, SIGNIN_PATH } from "./signin-return";

const MAX_PARAM_LENGTH = 512;

/** Redirects back to the client with the answer in the query (the only response mode), plus `iss` (RFC 9207). */
function redirectToClient(redirectUri: string, params: Record<string, string | undefined>): HttpResponseInit {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries({ ...params, iss: issuer() })) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return { status: 302, headers: { location: url.toString(), "cache-control": "no-store" } };
}

interface ValidRequest {
  client: OAuthClient;
  redirectUri: string;
  state?: string;
  codeChallenge: string;
  scope: Scope[];
  nonce?: string;
  prompt?: "none" | "login";
}

/**
 * Client and redirect URI first: until both are known good, nothing redirects anywhere (an error page instead).
 * After that, every problem goes back to the client as `error=` on its own redirect URI.
 */
function validate(
  query: URLSearchParams,
): { ok: true; request: ValidRequest } | { ok: false; response: HttpResponseInit } {
  const get = (name: string) => {
    const values = query.getAll(name);
    return values.length === 1 && values[0]!.length <= MAX_PARAM_LENGTH
      ? values[0]
      : values.length
        ? null
        : undefined;
  };
  const clientId = get("client_id");
  const redirectUri = get("redirect_uri");
  const client = clientId ? clientById(clientId) : null;
  if (!client) return { ok: false, response: oauthErrorPage("unknown_client") };
  if (!redirectUri || !client.redirect_uris.includes(redirectUri)) {
    return { ok: false, response: oauthErrorPage("unregistered_redirect_uri") };
  }
  const state = get("state");
  const fail = (error: string, description: string) => ({
    ok: false as const,
    response: redirectToClient(redirectUri, {
      error,
      error_description: description,
      state: state ?? undefined,
    }),
  });
  if (state === null) return fail("invalid_request", "state must appear once and be at most 512 characters.");
  if (get("response_type") !== "code")
    return fail("unsupported_response_type", "response_type must be code.");
  const challenge = get("code_challenge");
  if (!challenge || !PKCE_VALUE.test(challenge) || get("code_challenge_method") !== "S256") {
    return fail("invalid_request", "PKCE is required: code_challenge with code_challenge_method=S256.");
  }
  const scope = parseScope(get("scope") ?? undefined);
  if (!scope) return fail("invalid_scope", "Supported scopes: openid, profile, email, offline_access.");
  const nonce = get("nonce");
  if (nonce === null) return fail("invalid_request", "nonce must appear once and be at most 512 characters.");
  const prompt = get("prompt");
  if (prompt !== undefined && prompt !== "none" && prompt !== "login") {
    return fail("invalid_request", "prompt may be none or login.");
  }
  return {
    ok: true,
    request: {
      client,
      redirectUri,
      state,
      codeChallenge: challenge,
      scope,
      nonce,
      prompt: prompt ?? undefined,
    },
  };
}

export async function authorize(request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const query = new URL(request.url).searchParams;
  const checked = validate(query);
  if (!checked.ok) return checked.response;
  const req = checked.request;
  const back = (params: Record<string, string>) =>
    redirectToClient(req.redirectUri, { ...params, state: req.state });

  const session = req.prompt === "login" ? null : await currentSession(request);
  const [user, org] = session
    ? await Promise.all([readUser(session.org_id, session.user_id), readOrg(session.org_id)])
    : [null, null];
  if (!session || user?.status !== "active" || org?.status !== "active") {
    if (req.prompt === "none") return back({ error: "login_required", error_description: "No Hub session." });
    // Back here after sign-in, without prompt=login (it has been honoured by then).
    const again = new URLSearchParams(query);
    again.delete("prompt");
    const signin = `${SIGNIN_PATH}?${new URLSearchParams({ return_to: `${AUTHORIZE_PATH}?${again}` })}`;
    return { status: 303, headers: { location: signin, "cache-control": "no-store" } };
  }
  if (!mayAccessProduct(org, user, req.client.client_id)) {
    return back({ error: "access_denied", error_description: "You do not have access to this product." });
  }
  if (lacksRequiredSecondFactor(org, user, session)) {
    return back({ error: "access_denied", error_description: SECOND_FACTOR_NEEDED });
  }
  const code = await createCode({
    org_id: org.org_id,
    client_id: req.client.client_id,
    redirect_uri: req.redirectUri,
    code_challenge: req.codeChallenge,
    scope: req.scope,
    ...(req.nonce !== undefined ? { nonce: req.nonce } : {}),
    user_id: user.user_id,
    session_doc_id: session.id,
  });
  log.info("authorization code issued", {
    org_id: org.org_id,
    user_id: user.user_id,
    client_id: req.client.client_id,
  });
  return back({ code });
}
