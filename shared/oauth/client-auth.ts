// Who is calling the token and introspection endpoints: HTTP Basic with the client secret, or a public client_id.
import type { HttpRequest } from "@azure/functions";
import { AppError } from "../errors";
import type { OAuthClient } from "./clients";
import { clientById, secretMatches } from "./clients";

const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;

const invalidClient = (basic: boolean) =>
  new AppError("oauth.invalid_client", "Client authentication failed.", {
    headers: basic ? { "www-authenticate": 'Basic realm="hub"' } : {},
  });

/** `client_id:client_secret`, each form-urlencoded (RFC 6749 §2.3.1); null when the header is not Basic. */
function basicCredentials(request: HttpRequest): { id: string; secret: string } | null {
  const match = BASIC.exec(request.headers.get("authorization") ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return { id: "", secret: "" };
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, " "));
    } catch {
      return "";
    }
  };
  return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
}

export interface AuthenticatedClient {
  client: OAuthClient;
  /** True when the caller proved the client secret (back-channel); false for a public (PKCE) client. */
  confidential: boolean;
}

/**
 * A confidential client authenticates with HTTP Basic; a public client (a browser app) names itself with
 * `client_id` and proves nothing beyond PKCE. `requireSecret` (introspection) refuses public callers.
 */
export function authenticateClient(
  request: HttpRequest,
  form: Record<string, string>,
  requireSecret: boolean,
): AuthenticatedClient {
  if (form.client_secret !== undefined) {
    throw new AppError("oauth.invalid_request", "Send the client secret with HTTP Basic, not in the body.");
  }
  const basic = basicCredentials(request);
  if (basic) {
    const client = clientById(basic.id);
    if (!client || !secretMatches(client, basic.secret)) throw invalidClient(true);
    if (form.client_id !== undefined && form.client_id !== client.client_id) {
      throw new AppError("oauth.invalid_request", "client_id does not match the authenticated client.");
    }
    return { client, confidential: true };
  }
  if (requireSecret) throw invalidClient(true);
  const client = form.client_id !== undefined ? clientById(form.client_id) : null;
  if (!client) throw invalidClient(false);
  return { client, confidential: false };
}
