// Who asked: the user whose action produced a trigger event, read from the field docs/events.md names per type.

/** The data field holding the acting user's id, per event type (docs/events.md, "Who acted"). */
export const ACTOR_FIELD: Readonly<Record<string, string>> = {
  "hub.auth.login_success": "user_id",
  "hub.auth.mfa_enrolled": "user_id",
  "hub.auth.mfa_reset": "reset_by",
  "hub.auth.password_changed": "user_id",
  "hub.iam.user_created": "created_by",
  "hub.iam.user_deactivated": "deactivated_by",
  "hub.iam.permission_changed": "changed_by",
  "hub.iam.access_granted": "granted_by",
  "hub.iam.access_revoked": "revoked_by",
  "hub.iam.portal_client_linked": "linked_by",
  "hub.iam.portal_client_unlinked": "unlinked_by",
};

/** Events published by products (POST /api/events) name their acting user here, when they know one. */
export const PRODUCT_ACTOR_FIELD = "actor_user_id";

/** The acting user's id, or null when the event names none. */
export function requesterOf(event: { type: string; data?: unknown }): string | null {
  const field = ACTOR_FIELD[event.type] ?? (event.type.startsWith("hub.") ? undefined : PRODUCT_ACTOR_FIELD);
  if (!field || typeof event.data !== "object" || event.data === null) return null;
  const value = (event.data as Record<string, unknown>)[field];
  return typeof value === "string" && value.length > 0 && value.length <= 128 ? value : null;
}
