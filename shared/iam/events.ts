// The hub.iam.* CloudEvents (docs/events.md), built in one place so every change emits exactly the documented fields.
import { now } from "../clock";
import type { CloudEvent } from "../events/cloud-event";
import { newCloudEvent } from "../events/cloud-event";
import type { HubEventData } from "../events/hub-events";
import type { UserDoc } from "../identity/model";
import type { Permissions } from "./permissions";
import { isEscalation } from "./permissions";

export const IAM_EVENT = {
  userCreated: "hub.iam.user_created",
  userDeactivated: "hub.iam.user_deactivated",
  permissionChanged: "hub.iam.permission_changed",
  accessGranted: "hub.iam.access_granted",
  accessRevoked: "hub.iam.access_revoked",
} as const;

export type IamEventType = (typeof IAM_EVENT)[keyof typeof IAM_EVENT];
export const IAM_EVENT_TYPES = Object.values(IAM_EVENT) as IamEventType[];

/**
 * Every hub.iam.* event carries, beyond docs/events.md's fields, `version`: the user's version after the change (one
 * per change, so the events of one change share it). A subscriber keeps the highest version it has applied per
 * user and ignores anything older, whatever order the bus delivers in.
 */
function iamEvent<T extends IamEventType>(
  type: T,
  user: UserDoc,
  data: Omit<HubEventData<T>, "user_id" | "version">,
): CloudEvent {
  return newCloudEvent<HubEventData<T>>(
    {
      type,
      orgid: user.org_id,
      subject: user.user_id,
      data: { user_id: user.user_id, ...data, version: user.version ?? 0 } as HubEventData<T>,
    },
    now(),
  );
}

/** user_created, then access_granted for each product granted at creation (in product order). */
export function userCreatedEvents(user: UserDoc, createdBy: string): CloudEvent[] {
  const created = iamEvent(IAM_EVENT.userCreated, user, {
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    orgRole: user.orgRole,
    created_by: createdBy,
  });
  const grants = Object.keys(user.product_access)
    .sort()
    .map((product) => accessGrantedEvent(user, product, createdBy));
  return [created, ...grants];
}

export const userDeactivatedEvent = (user: UserDoc, deactivatedBy: string): CloudEvent =>
  iamEvent(IAM_EVENT.userDeactivated, user, { email: user.email, deactivated_by: deactivatedBy });

export const permissionChangedEvent = (
  user: UserDoc,
  before: Permissions,
  after: Permissions,
  changedBy: string,
): CloudEvent =>
  iamEvent(IAM_EVENT.permissionChanged, user, {
    changed_by: changedBy,
    before,
    after,
    escalation: isEscalation(before, after),
  });

export const accessGrantedEvent = (user: UserDoc, product: string, grantedBy: string): CloudEvent =>
  iamEvent(IAM_EVENT.accessGranted, user, {
    product,
    role: user.product_access[product]!,
    granted_by: grantedBy,
  });

export const accessRevokedEvent = (
  user: UserDoc,
  product: string,
  previousRole: string,
  revokedBy: string,
): CloudEvent =>
  iamEvent(IAM_EVENT.accessRevoked, user, { product, role: previousRole, revoked_by: revokedBy });
