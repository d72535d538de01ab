// The `sessions` subscriber (docs/events.md): a deactivated user's sessions and tokens are revoked, and so are those a password change ended.
import { z } from "zod";
import { revokeUserCredentials } from "../auth/revoke-user";
import type { CloudEvent } from "../events/cloud-event";
import { userIdSchema } from "../identity/model";
import { readUser } from "../identity/repository";
import type { Logger } from "../log";
import type { Subscriber } from "./consume";
import { typesOf } from "./consume";

/** The fields of `hub.iam.user_deactivated` and `hub.auth.password_changed` this subscriber reads. */
const sessionsData = z.object({
  user_id: userIdSchema,
  version: z.number().int().optional(),
  kept_session_id: z.string().max(128).nullable().optional(),
});
type SessionsData = z.infer<typeof sessionsData>;

/**
 * While the user is still deactivated everything they hold goes, including a session whose sign-in raced the
 * deactivation. If the user was active again by the time this runs (a late or replayed event), only what they
 * held at the deactivation goes: a stale event must not end sessions opened since.
 */
async function revokeOnDeactivation(event: CloudEvent<SessionsData>, log: Logger): Promise<void> {
  const user = await readUser(event.orgid, event.data.user_id);
  const obtainedUpToMs = user?.status === "active" ? Date.parse(event.time) : undefined;
  const ended = await revokeUserCredentials(event.orgid, event.data.user_id, "system:deactivation", {
    obtainedUpToMs,
  });
  log.info("deactivated user's credentials revoked", { user_id: event.data.user_id, ended });
}

/**
 * The instance that changed the password revoked before it answered; this is the backstop should it have failed
 * after the commit (idempotent): what the user held at the change goes, except the session a change keeps, and
 * the sign-ins with the new password stay.
 */
async function revokeOnPasswordChange(event: CloudEvent<SessionsData>, log: Logger): Promise<void> {
  const ended = await revokeUserCredentials(event.orgid, event.data.user_id, "system:password_changed", {
    obtainedUpToMs: Date.parse(event.time),
    keepSessionId: event.data.kept_session_id ?? undefined,
  });
  log.info("credentials from before the password change revoked", { user_id: event.data.user_id, ended });
}

export const sessionsSubscriber: Subscriber<SessionsData> = {
  name: "sessions",
  types: typesOf("sessions"),
  data: sessionsData,
  handle: (event, log) =>
    event.type === "hub.auth.password_changed"
      ? revokeOnPasswordChange(event, log)
      : revokeOnDeactivation(event, log),
};
