// Who is calling and what a route requires of them: the types every capability shares (docs/auth.md).
import type { KeyScope } from "../keys/scopes";

export type { KeyScope };
export type Audience = "hub" | "agents";
export type OrgRole = "owner" | "admin" | "member" | "viewer";
export type AgentsRole = "admin" | "technician";

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

/** `platform` is the operator's PLATFORM_ADMIN_TOKEN (docs/identity.md). */
export type AuthRequirement = "none" | "platform" | AuthPolicy;
