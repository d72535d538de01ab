// The `sessions` subscriber (docs/events.md): a deactivated user's sessions and tokens are revoked.
import { z } from "zod";
import { revokeUserCredentials } from "../auth/revoke-user";
import type { CloudEvent } from "../events/cloud-event";
import { userIdSchema } from "../identity/model";
import { readUser } from "../identity/repository";
import type { Logger } from "../log";
import type { Subscriber } from "./consume";
import { typesOf } from "./consume";

const deactivationData = z.object({
  user_id: userIdSchema,
  version: z.number().int().optional(),
});
type DeactivationData = z.infer<typeof deactivationData>;

/**
 * While the user is still deactivated everything they hold goes, including a session whose sign-in raced the
 * deactivation. If the user was active again by the time this runs (a late or replayed event), only what they
 * held at the deactivation goes: a stale event must not end sessions opened since.
 */
async function revokeOnDeactivation(event: CloudEvent<DeactivationData>, log: Logger): Promise<void> {
  const user = await readUser(event.orgid, event.data.user_id);
  const obtainedUpToMs = user?.status === "active" ? Date.parse(event.time) : undefined;
  const ended = await revokeUserCredentials(event.orgid, event.data.user_id, "system:deactivation", {
    obtainedUpToMs,
  });
  log.info("deactivated user's credentials revoked", { user_id: event.data.user_id, ended });
}

export const sessionsSubscriber: Subscriber<DeactivationData> = {
  name: "sessions",
  types: typesOf("sessions"),
  data: deactivationData,
  handle: revokeOnDeactivation,
};
