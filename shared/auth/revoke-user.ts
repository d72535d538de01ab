// Ends every session and revokes every live token of a user (docs/auth.md: deactivation, a password reset or change).
import { nowMs } from "../clock";
import { TenantRepository } from "../store/repository";
import { forgetTokenRecord, forgetUser } from "./auth-state";
import type { SessionDoc } from "./session";
import { sidOf } from "./session";
import type { TokenRecordDoc } from "./token-records";
import { markRevoked } from "./token-records";

const sessions = new TenantRepository<SessionDoc>("identity");
const tokens = new TenantRepository<TokenRecordDoc>("identity");

export interface RevokeOptions {
  /**
   * Only what the user obtained up to this time (default: everything). A late `user_deactivated` arriving after
   * the user was reactivated must not end the sessions and tokens obtained since. Token records written before
   * `issued_at_ms` existed count as obtained before any cutoff.
   */
  obtainedUpToMs?: number;
  /**
   * The public id (`sid`) of a session to keep (a password change keeps the session that made it), with the access
   * tokens issued from it. Token records without `session_doc_id` (written before it was recorded) are revoked:
   * their session is unknown.
   */
  keepSessionId?: string;
}

/**
 * Idempotent, so a redelivered `hub.iam.user_deactivated` does no harm. Tokens are also refused at once by the
 * user-status check (within 5 s); marking them revoked keeps them dead should the user be reactivated.
 * Returns how many sessions and tokens it ended.
 */
export async function revokeUserCredentials(
  orgId: string,
  userId: string,
  revokedBy: string,
  options: RevokeOptions = {},
): Promise<number> {
  const cutoff = options.obtainedUpToMs ?? Number.POSITIVE_INFINITY;
  let ended = 0;
  const byUser = { parameters: [{ name: "@user_id", value: userId }] };
  let keptDocId: string | undefined;
  for (let continuation: string | undefined; ;) {
    const page = await sessions.query<SessionDoc>(
      orgId,
      {
        query: "SELECT * FROM c WHERE c.org_id = @org_id AND c.type = 'session' AND c.user_id = @user_id",
        ...byUser,
      },
      { limit: 100, continuation },
    );
    const kept = page.items.find((item) => sidOf(item) === options.keepSessionId);
    if (kept) keptDocId = kept.id;
    const ending = page.items.filter((item) => item.created_at_ms <= cutoff && item !== kept);
    for (const session of ending) {
      if (await sessions.delete(orgId, session.id)) ended++;
    }
    if (!page.continuation) break;
    continuation = page.continuation;
  }
  for (let continuation: string | undefined; ;) {
    const page = await tokens.query<TokenRecordDoc>(
      orgId,
      {
        query:
          "SELECT * FROM c WHERE c.org_id = @org_id AND c.type = 'token' AND c.user_id = @user_id AND c.expires_at_ms > @now AND NOT IS_DEFINED(c.revoked_at_ms)",
        parameters: [...byUser.parameters, { name: "@now", value: nowMs() - 60_000 }],
      },
      { limit: 100, continuation },
    );
    const revoking = page.items.filter(
      (item) =>
        (item.issued_at_ms ?? 0) <= cutoff && (keptDocId === undefined || item.session_doc_id !== keptDocId),
    );
    for (const token of revoking) {
      if (await markRevoked(orgId, token.jti, revokedBy)) ended++;
      forgetTokenRecord(orgId, token.jti);
    }
    if (!page.continuation) break;
    continuation = page.continuation;
  }
  forgetUser(orgId, userId);
  return ended;
}
