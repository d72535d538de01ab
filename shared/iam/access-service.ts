// Product access (docs/identity.md): grant with a product role, revoke — each with its events.
import { AppError } from "../errors";
import type { Principal } from "../auth/principal";
import type { UserDoc } from "../identity/model";
import { accessGrantedEvent, accessRevokedEvent, permissionChangedEvent } from "./events";
import { assertMayManage, permissionsOf } from "./permissions";
import { assertGrantable } from "./schemas";
import { actorOf, currentOrg } from "./user-service";
import { modifyUser, nextVersion } from "./user-write";

/**
 * A new grant emits `access_granted` then `permission_changed` (a product role gained: escalation); a new role
 * on a product already granted emits `permission_changed` only; the same role again changes nothing.
 */
export async function grantAccess(
  principal: Principal,
  userId: string,
  product: string,
  role: string,
): Promise<UserDoc> {
  const org = await currentOrg(principal.org_id);
  return modifyUser(principal.org_id, userId, (current) => {
    const previous = current.product_access[product];
    if (previous === role) return null;
    assertMayManage(principal.orgRole, current);
    assertGrantable(org, { [product]: role }, () => "params.product");
    if (current.status !== "active") {
      throw new AppError("resource.conflict", "A deactivated user cannot be granted access.");
    }
    const user = nextVersion(current, { product_access: { ...current.product_access, [product]: role } });
    const actor = actorOf(principal);
    const changed = permissionChangedEvent(user, permissionsOf(current), permissionsOf(user), actor);
    const events = previous === undefined ? [accessGrantedEvent(user, product, actor), changed] : [changed];
    return { user, events };
  });
}

/** Revoking access the user does not have is not an error and emits nothing. */
export function revokeAccess(principal: Principal, userId: string, product: string): Promise<UserDoc> {
  return modifyUser(principal.org_id, userId, (current) => {
    const previous = current.product_access[product];
    if (previous === undefined) return null;
    assertMayManage(principal.orgRole, current);
    const remaining = { ...current.product_access };
    delete remaining[product];
    const user = nextVersion(current, { product_access: remaining });
    const actor = actorOf(principal);
    return {
      user,
      events: [
        accessRevokedEvent(user, product, previous, actor),
        permissionChangedEvent(user, permissionsOf(current), permissionsOf(user), actor),
      ],
    };
  });
}
