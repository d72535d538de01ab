// POST /api/oauth/token (docs/sso.md): the authorization_code and refresh_token grants, with RFC 6749 errors.
import type { HttpRequest } from "@azure/functions";
import { AppError } from "../errors";
import { readOrg, readUser } from "../identity/repository";
import type { OrgDoc, UserDoc } from "../identity/model";
import type { Logger } from "../log";
import { endSessionWithEvent } from "../auth/end-session";
import type { SessionDoc } from "../auth/session";
import { liveSession } from "../auth/session";
import { authenticateClient } from "./client-auth";
import { consumeCode, recordIssued } from "./codes";
import type { TokenResponse } from "./issue-tokens";
import { issueTokenSet } from "./issue-tokens";
import { pkceMatches } from "./pkce";
import { presentRefreshToken, revokeFamily } from "./refresh-tokens";

const invalidGrant = (message: string) => new AppError("oauth.invalid_grant", message);

export async function tokenGrant(
  request: HttpRequest,
  form: Record<string, string>,
  log: Logger,
): Promise<TokenResponse> {
  const { client } = authenticateClient(request, form, false);
  switch (form.grant_type) {
    case "authorization_code":
      return codeGrant(client.client_id, form, log);
    case "refresh_token":
      return refreshGrant(client.client_id, form, log);
    case undefined:
      throw new AppError("oauth.invalid_request", "grant_type is required.");
    default:
      throw new AppError("oauth.unsupported_grant_type", "Use authorization_code or refresh_token.");
  }
}

async function codeGrant(
  clientId: string,
  form: Record<string, string>,
  log: Logger,
): Promise<TokenResponse> {
  if (!form.code || !form.redirect_uri) {
    throw new AppError("oauth.invalid_request", "code and redirect_uri are required.");
  }
  const consumed = await consumeCode(form.code);
  const code = consumed.doc;
  if (!consumed.fresh) {
    // A second use means the code leaked: what the first use obtained is revoked too (RFC 9700 §4.2).
    if (code.issued) await revokeFamily(code.org_id, code.issued.family_id, "system:code_reuse");
    log.warn("authorization code reused", { org_id: code.org_id, client_id: clientId });
    throw invalidGrant("The authorization code is invalid, expired or used.");
  }
  if (code.client_id !== clientId || code.redirect_uri !== form.redirect_uri) {
    throw invalidGrant("The authorization code was issued to another client or redirect URI.");
  }
  if (!pkceMatches(form.code_verifier, code.code_challenge)) {
    throw invalidGrant("The PKCE code_verifier does not match the code_challenge.");
  }
  const { session, user, org } = await liveParties(code.org_id, code.session_doc_id, code.user_id);
  const issued = await asGrantError(
    issueTokenSet({ session, user, org, clientId, scope: code.scope, nonce: code.nonce }),
  );
  await recordIssued(code, { jti: issued.jti, family_id: issued.familyId });
  log.info("authorization code exchanged", {
    org_id: org.org_id,
    user_id: user.user_id,
    client_id: clientId,
  });
  return issued.response;
}

async function refreshGrant(
  clientId: string,
  form: Record<string, string>,
  log: Logger,
): Promise<TokenResponse> {
  if (!form.refresh_token) throw new AppError("oauth.invalid_request", "refresh_token is required.");
  const presented = await presentRefreshToken(form.refresh_token, clientId);
  const refresh = presented.doc;
  if (presented.outcome === "reused") {
    // Either the holder or a thief used it before: revoke the family, and end the session behind it.
    await revokeFamily(refresh.org_id, refresh.family_id, "system:refresh_reuse");
    const session = await liveSession(refresh.org_id, refresh.session_doc_id);
    if (session) await endSessionWithEvent(session, "refresh_reuse", log);
    log.warn("refresh token reused: family revoked, session ended", {
      org_id: refresh.org_id,
      user_id: refresh.user_id,
      client_id: clientId,
    });
    throw invalidGrant("The refresh token is invalid, expired or revoked.");
  }
  const { session, user, org } = await liveParties(refresh.org_id, refresh.session_doc_id, refresh.user_id);
  const issued = await asGrantError(
    issueTokenSet({ session, user, org, clientId, scope: refresh.scope, family: presented.family }),
  );
  return issued.response;
}

/** The session the grant is bound to, and its user and org, all still live (read fresh, not cached). */
async function liveParties(
  orgId: string,
  sessionDocId: string,
  userId: string,
): Promise<{ session: SessionDoc; user: UserDoc; org: OrgDoc }> {
  const [session, user, org] = await Promise.all([
    liveSession(orgId, sessionDocId),
    readUser(orgId, userId),
    readOrg(orgId),
  ]);
  if (!session || user?.status !== "active" || org?.status !== "active") {
    throw invalidGrant("The session behind this grant has ended.");
  }
  return { session, user, org };
}

/** A user who lost access to the product since the grant began gets invalid_grant, as RFC 6749 answers. */
async function asGrantError<T>(issuing: Promise<T>): Promise<T> {
  try {
    return await issuing;
  } catch (error) {
    if (error instanceof AppError && error.code === "auth.forbidden") throw invalidGrant(error.message);
    throw error;
  }
}
