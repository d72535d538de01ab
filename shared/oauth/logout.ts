// GET|POST /api/oauth/logout (OIDC RP-Initiated Logout, docs/sso.md): ends the session, then back to the product.
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { compactVerify, decodeProtectedHeader } from "jose";
import type { Logger } from "../log";
import { endSessionWithEvent } from "../auth/end-session";
import { clearedSessionCookie, currentSession, sidOf } from "../auth/session";
import { importedKey, verificationKey } from "../auth/signing-keys";
import { TOKEN_ALGORITHM, issuer } from "../auth/tokens";
import { clientById } from "./clients";
import { formToken, formTokenMatches } from "./form-token";
import { confirmSignOutPage, logoutErrorPage, signedOutPage } from "./pages";

interface Hint {
  sub: string;
  aud: string;
  sid?: string;
}

/** An id_token Hub signed (expired ones too: a hint only names the session, OIDC RP-Initiated Logout §2). */
async function verifiedHint(text: string | undefined): Promise<Hint | null> {
  if (!text || text.length > 8192) return null;
  try {
    const header = decodeProtectedHeader(text);
    if (header.alg !== TOKEN_ALGORITHM || typeof header.kid !== "string") return null;
    const key = await verificationKey(header.kid);
    if (!key) return null;
    const { payload } = await compactVerify(text, await importedKey(key, "public"), {
      algorithms: [TOKEN_ALGORITHM],
    });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    if (claims.iss !== issuer() || typeof claims.sub !== "string" || typeof claims.aud !== "string")
      return null;
    return { sub: claims.sub, aud: claims.aud, sid: typeof claims.sid === "string" ? claims.sid : undefined };
  } catch {
    return null;
  }
}

/**
 * With a hint naming the current session, the session ends at once (the product holds that session's id_token).
 * Without one, a GET shows a confirmation whose POST carries the form token. `post_logout_redirect_uri` must be
 * one of the client's registered redirect URIs, or nothing redirects.
 */
export async function oauthLogout(
  request: HttpRequest,
  params: Record<string, string>,
  log: Logger,
): Promise<HttpResponseInit> {
  const hint = await verifiedHint(params.id_token_hint);
  if (params.client_id && hint && hint.aud !== params.client_id) return logoutErrorPage();
  const clientId = hint?.aud ?? params.client_id;
  const target = params.post_logout_redirect_uri;
  const client = clientId ? clientById(clientId) : null;
  if (target !== undefined && !client?.redirect_uris.includes(target)) return logoutErrorPage();

  const finish = (): HttpResponseInit => {
    const cookies = [clearedSessionCookie()];
    if (!target) return { ...signedOutPage(), cookies };
    const url = new URL(target);
    if (params.state) url.searchParams.set("state", params.state);
    return { status: 303, headers: { location: url.toString(), "cache-control": "no-store" }, cookies };
  };

  const session = await currentSession(request);
  if (!session) return finish();
  const hinted = hint !== null && hint.sub === session.user_id && hint.sid === sidOf(session);
  const confirmed =
    request.method === "POST" && params.confirm === "yes" && formTokenMatches(request, params.form_token);
  if (hinted || confirmed) {
    await endSessionWithEvent(session, "logout", log);
    log.info("signed out", { org_id: session.org_id, user_id: session.user_id, client_id: clientId });
    return finish();
  }
  const { token, cookie } = formToken(request);
  const keep: Record<string, string> = {};
  for (const name of ["client_id", "post_logout_redirect_uri", "state"] as const) {
    if (name === "client_id" ? clientId : params[name])
      keep[name] = name === "client_id" ? clientId! : params[name]!;
  }
  return confirmSignOutPage(token, cookie, keep, target ? [new URL(target).origin] : []);
}
