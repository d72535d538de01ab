// An org admin resets a user's second factor (docs/auth.md): the factor and its recovery codes go, `hub.auth.mfa_reset`.
import type { Principal } from "../auth/principal";
import { now } from "../clock";
import { isAppError } from "../errors";
import { newCloudEvent } from "../events/cloud-event";
import type { HubEventData } from "../events/hub-events";
import { commitWithEvents } from "../events/outbox";
import { actorOf } from "../iam/user-service";
import { assertMayManage } from "../iam/permissions";
import { existingUser } from "../iam/user-write";
import type { Logger } from "../log";
import { readFactor } from "./factor-store";

/**
 * The user signs in with the password alone afterwards and may enrol again. Resetting a user without a factor
 * changes nothing and publishes nothing; an admin cannot reset an owner (owners are managed by owners).
 */
export async function resetSecondFactor(principal: Principal, userId: string, log: Logger): Promise<void> {
  const user = await existingUser(principal.org_id, userId);
  assertMayManage(principal.orgRole, user);
  const factor = await readFactor(user.org_id, user.user_id);
  if (!factor) return;
  const events =
    factor.status === "active"
      ? [
          newCloudEvent<HubEventData<"hub.auth.mfa_reset">>(
            {
              type: "hub.auth.mfa_reset",
              orgid: user.org_id,
              subject: user.user_id,
              data: { user_id: user.user_id, reset_by: actorOf(principal) },
            },
            now(),
          ),
        ]
      : [];
  try {
    await commitWithEvents(
      "identity",
      user.org_id,
      [{ operationType: "Delete", id: factor.id }],
      events,
      log,
    );
  } catch (error) {
    // Another admin reset it at the same moment: theirs published the event.
    if (isAppError(error) && error.code === "resource.not_found") return;
    throw error;
  }
}
