// The credential step of the pipeline: resolves who is calling for a route's requirement.
import type { HttpRequest } from "@azure/functions";
import { resolvePrincipal } from "../auth/authenticate";
import type { AuthRequirement, Principal } from "../auth/principal";

/**
 * Resolves the caller for a route: `null` for `none` and `platform` (the operator has no principal), a
 * Principal otherwise; 401 (`WWW-Authenticate`) when the credential is missing or invalid, 403 when it lacks
 * the right. The rules live in shared/auth/authenticate.ts.
 */
export function authenticate(request: HttpRequest, requirement: AuthRequirement): Promise<Principal | null> {
  return resolvePrincipal(request, requirement);
}
