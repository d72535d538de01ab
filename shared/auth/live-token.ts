// An access token that verifies and is still live: signature, claims, not revoked, user and org active (docs/auth.md).
import type { OrgDoc, UserDoc } from "../identity/model";
import { cachedOrg, cachedTokenRecord, cachedUser } from "./auth-state";
import type { AccessClaims } from "./verify-token";
import { InvalidTokenError, verifyAccessToken } from "./verify-token";

export interface LiveToken {
  claims: AccessClaims;
  user: UserDoc;
  org: OrgDoc;
}

/** Throws InvalidTokenError for any failed check, so callers give one answer whatever failed. */
export async function liveAccessToken(token: string, audiences: readonly string[]): Promise<LiveToken> {
  const claims = await verifyAccessToken(token, audiences);
  const [org, user, record] = await Promise.all([
    cachedOrg(claims.org_id),
    cachedUser(claims.org_id, claims.sub),
    cachedTokenRecord(claims.org_id, claims.jti),
  ]);
  const live =
    org?.status === "active" &&
    user?.status === "active" &&
    record !== null &&
    record.user_id === claims.sub &&
    record.revoked_at_ms === undefined;
  if (!live || !org || !user) throw new InvalidTokenError("not live");
  return { claims, user, org };
}
