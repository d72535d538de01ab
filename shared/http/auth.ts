// The credential step of the pipeline: what a route requires, and who the caller is.
import type { HttpRequest } from "@azure/functions";
import { resolvePrincipal } from "../auth/authenticate";

export type Audience = "hub" | "agents";
export type OrgRole = "owner" | "admin" | "member" | "viewer";
export type AgentsRole = "admin" | "technician";
export type KeyScope = "agents:read" | "agents:write" | "executions:read" | "events:publish";

/** Who is calling, as every capability sees it; the org always comes from here, never from the request. */
export interface Principal {
  kind: "user" | "key";
  org_id: string;
  user_id?: string;
  key_id?: string;
  /** The user's org role (users only). */
  orgRole?: OrgRole;
  /** Agents roles (users only). */
  roles: AgentsRole[];
  /** Integration key scopes (keys only). */
  scopes: KeyScope[];
  /** The token's jti (users only), for revocation. */
  jti?: string;
}

/**
 * What a protected route accepts:
 * - a Bearer token whose `aud` is one of `audience`; when `orgRoles` or `roles` are given the user needs one of them;
 * - an integration key holding one of `scopes` (keys are refused with 403 when `scopes` is absent).
 */
export interface AuthPolicy {
  audience: Audience | Audience[];
  orgRoles?: OrgRole[];
  roles?: AgentsRole[];
  scopes?: KeyScope[];
}

/** `platform` is the operator's PLATFORM_ADMIN_TOKEN (SPEC §2). */
export type AuthRequirement = "none" | "platform" | AuthPolicy;

/**
 * Resolves the caller for a route: `null` for `none` and `platform` (the operator has no principal), a
 * Principal otherwise; 401 (`WWW-Authenticate`) when the credential is missing or invalid, 403 when it lacks
 * the right. The rules live in shared/auth/authenticate.ts; this file stays the contract routes depend on.
 */
export function authenticate(request: HttpRequest, requirement: AuthRequirement): Promise<Principal | null> {
  return resolvePrincipal(request, requirement);
}
