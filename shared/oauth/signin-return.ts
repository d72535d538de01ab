// Where the sign-in page sends the user afterwards: only back to an authorization request of this Hub (docs/sso.md).
import { hubOrigin } from "../http/cross-site";
import { clientById } from "./clients";

export const SIGNIN_PATH = "/api/signin";
export const AUTHORIZE_PATH = "/api/oauth/authorize";
const MAX_RETURN_LENGTH = 4096;

/** The path and query to return to, or null for anything but Hub's own authorization endpoint (no open redirect). */
export function safeReturnTo(text: string | undefined): string | null {
  if (!text || text.length > MAX_RETURN_LENGTH || !text.startsWith(`${AUTHORIZE_PATH}?`)) return null;
  let url: URL;
  try {
    url = new URL(text, hubOrigin());
  } catch {
    return null;
  }
  if (url.origin !== hubOrigin() || url.pathname !== AUTHORIZE_PATH) return null;
  return `${url.pathname}${url.search}`;
}

/**
 * The origin the authorization answer will redirect to, when the return target names a registered redirect URI:
 * the sign-in form's CSP must allow it, because browsers apply form-action to redirects after a submission.
 */
export function redirectOriginOf(returnTo: string | null): string | null {
  if (!returnTo) return null;
  const query = new URL(returnTo, hubOrigin()).searchParams;
  const client = clientById(query.get("client_id") ?? "");
  const redirectUri = query.get("redirect_uri") ?? "";
  return client?.redirect_uris.includes(redirectUri) ? new URL(redirectUri).origin : null;
}
