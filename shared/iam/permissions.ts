// The rights rules of IAM: who may change whom, and when a change of rights is an escalation (docs/identity.md and docs/events.md).
import { AppError } from "../errors";
import type { OrgRole } from "../auth/principal";

/** Lowest to highest: each role holds every right of the ones before it. */
const ORG_ROLE_RANK: Record<OrgRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/**
 * Product roles whose order we know. For any other product a role that differs from the one held before counts
 * as gained: we cannot tell a promotion from a demotion there, and a missed escalation costs more than a false flag.
 */
const PRODUCT_ROLE_RANK: Record<string, Record<string, number>> = {
  agents: { technician: 0, admin: 1 },
};

/** The rights a user holds, as `permission_changed` carries them in `before` and `after`. */
export interface Permissions {
  orgRole: OrgRole;
  product_access: Record<string, string>;
}

export const permissionsOf = (user: Permissions): Permissions => ({
  orgRole: user.orgRole,
  product_access: { ...user.product_access },
});

function productRoleGained(product: string, before: string | undefined, after: string | undefined): boolean {
  if (after === undefined || after === before) return false;
  if (before === undefined) return true;
  const rank = PRODUCT_ROLE_RANK[product];
  const [from, to] = [rank?.[before], rank?.[after]];
  return from === undefined || to === undefined || to > from;
}

/** Rights grow when the org role climbs (viewer→member→admin→owner) or any product role is gained. */
export function isEscalation(before: Permissions, after: Permissions): boolean {
  if (ORG_ROLE_RANK[after.orgRole] > ORG_ROLE_RANK[before.orgRole]) return true;
  return Object.entries(after.product_access).some(([product, role]) =>
    productRoleGained(product, before.product_access[product], role),
  );
}

export function samePermissions(a: Permissions, b: Permissions): boolean {
  const products = new Set([...Object.keys(a.product_access), ...Object.keys(b.product_access)]);
  return a.orgRole === b.orgRole && [...products].every((p) => a.product_access[p] === b.product_access[p]);
}

/**
 * Owners are managed by owners only: an admin can neither make an owner nor change, restrict or deactivate one,
 * so an admin can never raise anyone (themselves included) above their own role.
 */
export function assertMayManage(actorRole: OrgRole | undefined, target: { orgRole: OrgRole }): void {
  if (target.orgRole === "owner" && actorRole !== "owner") {
    throw new AppError("auth.forbidden", "Only an owner can change an owner.");
  }
}

export function assertMayAssign(actorRole: OrgRole | undefined, role: OrgRole): void {
  if (role === "owner" && actorRole !== "owner") {
    throw new AppError("auth.forbidden", "Only an owner can make someone an owner.");
  }
}
