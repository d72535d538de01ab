// Stores a user's new password and ends what the old one opened (docs/auth.md, "Password reset and change").
import { clearAttemptsOperation, lockoutKeyFor } from "../auth/lockout";
import { revokeUserCredentials } from "../auth/revoke-user";
import type { SessionDoc } from "../auth/session";
import { sidOf } from "../auth/session";
import { now, nowMs } from "../clock";
import { AppError } from "../errors";
import { newCloudEvent } from "../events/cloud-event";
import type { HubEventData } from "../events/hub-events";
import type { UserDoc } from "../identity/model";
import { modifyUser, nextVersion } from "../iam/user-write";
import type { Logger } from "../log";

export interface NewPassword {
  user: Pick<UserDoc, "org_id" | "user_id">;
  /** From `hashAllowedPassword` (shared/auth/password-policy.ts): the rules are checked before anything is spent. */
  passwordHash: string;
  via: HubEventData<"hub.auth.password_changed">["via"];
  /** A change keeps the session that made it (and its tokens); a reset keeps none. */
  keepSession: SessionDoc | null;
  client: { ip: string | null; user_agent: string | null };
  /** Decides, on the user as stored, whether the change may still happen (throw to refuse). */
  assertStillAllowed?: (current: UserDoc) => void;
}

/**
 * The user's new hash, `password_changed_at`, a cleared lockout and `hub.auth.password_changed` in one batch; then
 * every other session and access token of the user ends (refresh tokens die with their session), so the old
 * password's sign-ins are gone before the request answers.
 */
export async function setNewPassword(change: NewPassword, log: Logger): Promise<void> {
  const { user, via, keepSession, passwordHash } = change;
  const changedAtMs = nowMs();
  const event = newCloudEvent<HubEventData<"hub.auth.password_changed">>(
    {
      type: "hub.auth.password_changed",
      orgid: user.org_id,
      subject: user.user_id,
      data: {
        user_id: user.user_id,
        via,
        kept_session_id: keepSession ? sidOf(keepSession) : null,
        ip: change.client.ip,
        user_agent: change.client.user_agent,
      },
    },
    now(),
  );
  await modifyUser(user.org_id, user.user_id, (current) => {
    if (current.status !== "active") throw new AppError("resource.gone", "This account cannot sign in.");
    change.assertStillAllowed?.(current);
    return {
      user: nextVersion(current, {
        password_hash: passwordHash,
        password_changed_at: new Date(changedAtMs).toISOString(),
      }),
      events: [event],
      operations: [clearAttemptsOperation(lockoutKeyFor(current, current.email))],
    };
  });
  const ended = await revokeUserCredentials(user.org_id, user.user_id, `system:password_${via}`, {
    obtainedUpToMs: changedAtMs,
    keepSessionId: keepSession ? sidOf(keepSession) : undefined,
  });
  log.info("password changed", { org_id: user.org_id, user_id: user.user_id, via, ended });
}
