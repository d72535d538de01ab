// Ends a browser session and tells the products (`hub.auth.session_ended`, docs/events.md) in one outbox commit.
import { now } from "../clock";
import { isAppError } from "../errors";
import { newCloudEvent } from "../events/cloud-event";
import { commitWithEvents } from "../events/outbox";
import type { Logger } from "../log";
import type { SessionDoc } from "./session";
import { sidOf } from "./session";

/** Why a session ended: the user signed out, or a refresh token was presented twice (docs/sso.md). */
export type SessionEndReason = "logout" | "refresh_reuse";

/**
 * Deletes the session (its refresh tokens die with it: each refresh reads the session) and publishes the event.
 * A session someone else ended first is not an error, and publishes nothing twice.
 */
export async function endSessionWithEvent(
  session: SessionDoc,
  reason: SessionEndReason,
  log: Logger,
): Promise<void> {
  const event = newCloudEvent(
    {
      type: "hub.auth.session_ended",
      orgid: session.org_id,
      subject: session.user_id,
      data: { user_id: session.user_id, session_id: sidOf(session), reason },
    },
    now(),
  );
  try {
    await commitWithEvents(
      "identity",
      session.org_id,
      [{ operationType: "Delete", id: session.id }],
      [event],
      log,
    );
  } catch (error) {
    if (isAppError(error) && error.code === "resource.not_found") return;
    throw error;
  }
}
