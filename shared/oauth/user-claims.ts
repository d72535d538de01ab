// The user claims of the id_token and userinfo (docs/sso.md): the org always, names and email by scope.
import type { OrgDoc, UserDoc } from "../identity/model";
import { agentsRolesOf } from "../identity/model";
import type { Scope } from "./scopes";

export function scopedClaims(user: UserDoc, org: OrgDoc, scope: readonly Scope[]): Record<string, unknown> {
  return {
    org_id: org.org_id,
    tenantSlug: org.slug,
    tenantName: org.name,
    orgRole: user.orgRole,
    roles: agentsRolesOf(user),
    ...(scope.includes("profile")
      ? { name: `${user.firstName} ${user.lastName}`, given_name: user.firstName, family_name: user.lastName }
      : {}),
    ...(scope.includes("email") ? { email: user.email } : {}),
  };
}
