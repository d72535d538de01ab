// The IAM use cases on users (docs/identity.md): create, rename, change the org role, deactivate — each with its events.
import { randomUUID } from "node:crypto";
import { now } from "../clock";
import { AppError } from "../errors";
import type { Principal } from "../auth/principal";
import type { UserDoc } from "../identity/model";
import { normalizeEmail, userDocId } from "../identity/model";
import { createUser as insertUser, readOrg } from "../identity/repository";
import { issueInvitation, sendInvitation } from "../invitations/invite";
import { permissionChangedEvent, userCreatedEvents, userDeactivatedEvent } from "./events";
import { assertMayAssign, assertMayManage, permissionsOf } from "./permissions";
import type { CreateUserInput, UpdateUserInput } from "./schemas";
import { assertGrantable } from "./schemas";
import { modifyUser, nextVersion } from "./user-write";

/** Who made a change, as events name them: the acting user (IAM routes always have one). */
export const actorOf = (principal: Principal): string => principal.user_id ?? `key:${principal.key_id}`;

export async function currentOrg(orgId: string) {
  const org = await readOrg(orgId);
  if (!org) throw new AppError("auth.forbidden", "The organization is not available.");
  return org;
}

/**
 * An invited user: no password, a single-use link emailed to them (docs/identity.md#invitations). The answer is
 * the same whether or not the email signs in to another org: only the org's own users can make it a conflict.
 */
export async function createUser(principal: Principal, input: CreateUserInput): Promise<UserDoc> {
  assertMayAssign(principal.orgRole, input.orgRole);
  const access = input.product_access ?? {};
  const org = await currentOrg(principal.org_id);
  assertGrantable(org, access, (product) => `body.product_access.${product}`);
  const userId = randomUUID();
  const invitation = await issueInvitation(principal.org_id, userId);
  const timestamp = now().toISOString();
  const user: UserDoc = {
    id: userDocId(userId),
    org_id: principal.org_id,
    type: "user",
    user_id: userId,
    email: normalizeEmail(input.email),
    firstName: input.firstName,
    lastName: input.lastName,
    orgRole: input.orgRole,
    status: "active",
    product_access: access,
    invitation: invitation.state,
    created_at: timestamp,
    updated_at: timestamp,
    created_by: actorOf(principal),
    version: 1,
  };
  await insertUser(user, userCreatedEvents(user, actorOf(principal)));
  await sendInvitation(org, user, invitation, principal.user_id);
  return user;
}

/** Names change silently (no event names them); an org-role change emits `permission_changed`. */
export function updateUser(principal: Principal, userId: string, input: UpdateUserInput): Promise<UserDoc> {
  return modifyUser(principal.org_id, userId, (current) => {
    const roleChanges = input.orgRole !== undefined && input.orgRole !== current.orgRole;
    const namesChange =
      (input.firstName !== undefined && input.firstName !== current.firstName) ||
      (input.lastName !== undefined && input.lastName !== current.lastName);
    if (!roleChanges && !namesChange) return null;
    assertMayManage(principal.orgRole, current);
    if (roleChanges) {
      assertMayAssign(principal.orgRole, input.orgRole!);
      if (current.status !== "active") {
        throw new AppError("resource.conflict", "A deactivated user's role cannot change.");
      }
    }
    const user = nextVersion(current, {
      firstName: input.firstName ?? current.firstName,
      lastName: input.lastName ?? current.lastName,
      orgRole: input.orgRole ?? current.orgRole,
    });
    const events = roleChanges
      ? [permissionChangedEvent(user, permissionsOf(current), permissionsOf(user), actorOf(principal))]
      : [];
    return { user, events };
  });
}

/** Deactivating twice is not an error and emits nothing the second time. */
export function deactivateUser(principal: Principal, userId: string): Promise<UserDoc> {
  return modifyUser(principal.org_id, userId, (current) => {
    if (current.status === "deactivated") return null;
    assertMayManage(principal.orgRole, current);
    const at = now().toISOString();
    const user = nextVersion(current, { status: "deactivated", deactivated_at: at });
    return { user, events: [userDeactivatedEvent(user, actorOf(principal))] };
  });
}
