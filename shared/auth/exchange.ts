// The session-cookie endpoints' rules: token exchange and logout; and revocation by jti.
import type { HttpRequest } from "@azure/functions";
import { AppError } from "../errors";
import type { Principal } from "./principal";
import { readOrg, readUser } from "../identity/repository";
import type { Logger } from "../log";
import { forgetTokenRecord } from "./auth-state";
import { endSessionWithEvent } from "./end-session";
import type { SessionDoc } from "./session";
import { currentSession, endSession } from "./session";
import { markRevoked, readTokenRecord } from "./token-records";
import type { IssuedToken } from "./tokens";
import { issueAccessToken } from "./tokens";

const noSession = () =>
  new AppError("auth.missing_credential", "Sign in first: this needs a valid session cookie.");

/** A token for `audience`, from a live session of an active user in an active org (read fresh, not cached). */
export async function exchangeSession(request: HttpRequest, audience: string): Promise<IssuedToken> {
  const session = await currentSession(request);
  if (!session) throw noSession();
  const [user, org] = await Promise.all([readUser(session.org_id, session.user_id), readOrg(session.org_id)]);
  if (user?.status !== "active" || org?.status !== "active") {
    await endSession(session);
    throw noSession();
  }
  return issueAccessToken(user, org, audience, session);
}

/** Ends the request's session if it has one (with `hub.auth.session_ended`); returns it for logging. */
export async function logout(request: HttpRequest, log: Logger): Promise<SessionDoc | null> {
  const session = await currentSession(request);
  if (session) await endSessionWithEvent(session, "logout", log);
  return session;
}

/** Revokes a token of the caller's org: admins any, everyone else only their own. */
export async function revokeToken(principal: Principal, jti: string): Promise<void> {
  const record = await readTokenRecord(principal.org_id, jti);
  if (!record) throw new AppError("resource.not_found", "No such token.");
  const isAdmin = principal.orgRole === "owner" || principal.orgRole === "admin";
  if (record.user_id !== principal.user_id && !isAdmin) {
    throw new AppError("auth.forbidden", "Only an org admin can revoke another user's token.");
  }
  await markRevoked(principal.org_id, jti, principal.user_id ?? "unknown");
  forgetTokenRecord(principal.org_id, jti);
}
