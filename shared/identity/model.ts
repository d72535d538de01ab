// Orgs and users as Hub stores them (docs/identity.md), the rules that derive Agents roles and product access from them.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { AgentsRole, OrgRole } from "../auth/principal";

/**
 * The pseudo-org partition for the few lookups that must work before the org is known: the email index
 * (sign-in), the slug index (unique slugs), lockouts of unknown emails, and the token signing keys.
 * Real org ids are UUIDs, so this can never collide with one.
 */
export const GLOBAL_PARTITION = "_hub";

/**
 * What an org or user id looks like: Hub makes UUIDs, and the rule admits any id of letters, digits and hyphens up
 * to 64 characters. Checked wherever an id arrives from outside (a route, an event), before it reaches the store.
 */
const HUB_ID = /^[A-Za-z0-9-]{1,64}$/;
export const isOrgId = (value: unknown): value is string => typeof value === "string" && HUB_ID.test(value);
export const isUserId = isOrgId;
export const orgIdSchema = z.string().regex(HUB_ID, "must be an org id");
export const userIdSchema = z.string().regex(HUB_ID, "must be a user id");

export const ORG_ROLES = ["owner", "admin", "member", "viewer"] as const satisfies readonly OrgRole[];
export const AI_TIERS = ["ai:basic", "ai:pro", "ai:enterprise"] as const;
/** The products of The One Stack known today; entitlements may name others (docs/identity.md lists them with "…"). */
export const KNOWN_PRODUCTS = ["psa", "portal", "agents", "defend", "jarvis"] as const;

export const productSlug = z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, "must be a product slug");

export const entitlementsSchema = z
  .array(z.union([productSlug, z.enum(AI_TIERS)]))
  .max(50)
  .refine((list) => list.filter((item) => item.startsWith("ai:")).length <= 1, "at most one AI tier")
  .transform((list) => [...new Set(list)]);

export interface OrgDoc {
  id: "org";
  org_id: string;
  type: "org";
  slug: string;
  name: string;
  status: "active" | "suspended";
  entitlements: string[];
  /** Who must sign in with a second factor before getting any token (docs/auth.md); absent = `off`. */
  mfa_policy?: MfaPolicy;
  created_at: string;
  updated_at: string;
}

export const MFA_POLICIES = ["off", "admins", "all"] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

export type UserStatus = "active" | "deactivated";

export interface UserDoc {
  /** `user:<user id>`: the prefix keeps users apart from the other documents of the org's partition. */
  id: string;
  org_id: string;
  type: "user";
  user_id: string;
  email: string;
  firstName: string;
  lastName: string;
  orgRole: OrgRole;
  status: UserStatus;
  product_access: Record<string, string>;
  /** scrypt hash (shared/auth/password.ts); absent for a user who has not set a password. */
  password_hash?: string;
  /** When the password was last set by a reset or a change: reset links issued before it are dead. */
  password_changed_at?: string;
  /** The invitation that may set the first password (docs/identity.md#invitations); absent once accepted. */
  invitation?: InvitationState;
  created_at: string;
  updated_at: string;
  created_by?: string;
  /** Counts the user's changes (1 at creation through IAM; absent = 0): subscribers order events by it. */
  version?: number;
  deactivated_at?: string;
}

/** A type, not an interface: stored documents must be assignable to the SDK's JSONObject. */
export type InvitationState = {
  /** The link that is valid now (shared/links/link-record.ts); a resend replaces it. */
  link_id: string;
  sent_at: string;
  expires_at: string;
  status: "pending" | "revoked";
};

export const userDocId = (userId: string): string => `user:${userId}`;

/**
 * Emails are compared case-insensitively. They are unique within an org (from creation) and, among users who can
 * sign in, across Hub (from the moment a password is set): docs/identity.md, "Email uniqueness".
 */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** The email index id: a digest, because an email may hold characters a Cosmos id cannot (/ ? #). */
export const emailIndexId = (email: string): string =>
  `email:${createHash("sha256").update(normalizeEmail(email)).digest("hex")}`;

/** The org's own email index id (in the org's partition): one user per email within an org. */
export const orgEmailIndexId = (email: string): string => `org-${emailIndexId(email)}`;

/** Agents roles (docs/identity.md): admin from orgRole owner/admin or product_access.agents, technician from product_access. */
export function agentsRolesOf(user: Pick<UserDoc, "orgRole" | "product_access">): AgentsRole[] {
  const granted = user.product_access.agents;
  if (user.orgRole === "owner" || user.orgRole === "admin" || granted === "admin") return ["admin"];
  if (granted === "technician") return ["technician"];
  return [];
}

/**
 * Whether the user may get a token for a product: `hub` for every active user; otherwise the org must hold
 * the entitlement and the user must have access (owners and admins have it to every entitled product;
 * for `agents`, access means an Agents role).
 */
export function mayAccessProduct(org: OrgDoc, user: UserDoc, product: string): boolean {
  if (product === "hub") return true;
  if (!org.entitlements.includes(product)) return false;
  if (product === "agents") return agentsRolesOf(user).length > 0;
  return user.orgRole === "owner" || user.orgRole === "admin" || Boolean(user.product_access[product]);
}

const orgStatusSchema = z.enum(["active", "suspended"]);

/** An org as the API shows it. */
export const publicOrgSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    status: orgStatusSchema,
    entitlements: z.array(z.string()),
  })
  .meta({ id: "Org" });

/** A user as sign-in and org creation show it (the IAM API adds timestamps: shared/iam/user-views.ts). */
export const publicUserSchema = z
  .object({
    id: z.string(),
    org_id: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    orgRole: z.enum(ORG_ROLES),
    status: z.enum(["active", "deactivated"]),
    product_access: z.record(z.string(), z.string()).describe("product slug → product role"),
  })
  .meta({ id: "PublicUser" });

export const publicOrg = (org: OrgDoc): z.infer<typeof publicOrgSchema> => ({
  id: org.org_id,
  slug: org.slug,
  name: org.name,
  status: org.status,
  entitlements: org.entitlements,
});

export const publicUser = (user: UserDoc): z.infer<typeof publicUserSchema> => ({
  id: user.user_id,
  org_id: user.org_id,
  email: user.email,
  firstName: user.firstName,
  lastName: user.lastName,
  orgRole: user.orgRole,
  status: user.status,
  product_access: user.product_access,
});
