// The events Hub publishes on The One Bus (docs/events.md): each type's `data` as a zod schema, the single source the
// publishers are typed by and the AsyncAPI document (GET /api/asyncapi.json) is generated from.
import { z } from "zod";
import { ORG_ROLES } from "../identity/model";

const userId = z.string().describe("The user the event is about");
const actor = (what: string) => z.string().describe(`The user id of the org admin who ${what}`);
const version = z
  .number()
  .int()
  .describe("The user's version after the change (events of one change share it): apply only higher ones");
const permissions = z
  .object({
    orgRole: z.enum(ORG_ROLES),
    product_access: z.record(z.string(), z.string()).describe("product slug → product role"),
  })
  .meta({ id: "Permissions" });
const client = {
  ip: z.string().nullable().describe("The caller's address as the front end saw it"),
  user_agent: z.string().nullable(),
};

export const LOGIN_FAILURE_REASONS = ["bad_credentials", "bad_code", "locked", "deactivated"] as const;

/** Every type the app publishes: when, its `source` when not `/hub`, and its `data`. */
export const HUB_EVENTS = {
  "hub.auth.login_success": {
    when: "a sign-in succeeds",
    data: z.object({ user_id: userId, email: z.string(), ...client }),
  },
  "hub.auth.login_failed": {
    when: "a sign-in fails",
    data: z.object({
      email: z.string(),
      reason: z.enum(LOGIN_FAILURE_REASONS),
      lock_started: z.boolean().describe("true on the one failure that locked the account"),
      ...client,
    }),
  },
  "hub.auth.session_ended": {
    when: "a session ends (sign-out, refresh reuse)",
    data: z.object({
      user_id: userId,
      session_id: z.string().describe("the id_token's `sid`"),
      reason: z.enum(["logout", "refresh_reuse"]),
    }),
  },
  "hub.auth.mfa_enrolled": {
    when: "a user confirms a second factor",
    data: z.object({ user_id: userId, method: z.enum(["totp"]).describe("The kind of factor") }),
  },
  "hub.auth.mfa_reset": {
    when: "an org admin resets a user's second factor",
    data: z.object({ user_id: userId, reset_by: actor("reset it") }),
  },
  "hub.auth.password_changed": {
    when: "a user's password is set through a reset link or changed while signed in",
    data: z.object({
      user_id: userId,
      via: z.enum(["reset", "change"]),
      kept_session_id: z
        .string()
        .nullable()
        .describe(
          "change: the `sid` of the session that made it, which stays; reset: null (every session ended)",
        ),
      ...client,
    }),
  },
  "hub.iam.portal_client_linked": {
    when: "a Portal client organisation is linked to the org",
    data: z.object({
      portal_client_id: z.string(),
      portal_org_id: z.string(),
      name: z.string(),
      linked_by: actor("linked it"),
    }),
  },
  "hub.iam.portal_client_unlinked": {
    when: "a Portal client organisation is unlinked",
    data: z.object({
      portal_client_id: z.string(),
      portal_org_id: z.string(),
      unlinked_by: actor("unlinked it"),
    }),
  },
  "hub.iam.user_created": {
    when: "a user is added to an org",
    data: z.object({
      user_id: userId,
      email: z.string(),
      firstName: z.string(),
      lastName: z.string(),
      orgRole: z.enum(ORG_ROLES),
      created_by: actor("added the user"),
      version,
    }),
  },
  "hub.iam.access_granted": {
    when: "a product is granted to a user",
    data: z.object({
      user_id: userId,
      product: z.string(),
      role: z.string(),
      granted_by: actor("granted it"),
      version,
    }),
  },
  "hub.iam.permission_changed": {
    when: "the org role or any product access changes",
    data: z.object({
      user_id: userId,
      changed_by: actor("made the change"),
      before: permissions,
      after: permissions,
      escalation: z.boolean().describe("true when rights grow (docs/events.md)"),
      version,
    }),
  },
  "hub.iam.access_revoked": {
    when: "a product is taken from a user",
    data: z.object({
      user_id: userId,
      product: z.string(),
      role: z.string().describe("The role that was revoked"),
      revoked_by: actor("revoked it"),
      version,
    }),
  },
  "hub.iam.user_deactivated": {
    when: "a user is deactivated",
    data: z.object({
      user_id: userId,
      email: z.string(),
      deactivated_by: actor("deactivated the user"),
      version,
    }),
  },
  "agents.budget.threshold_reached": {
    when: "the first time in a month an org's agents use alert_percent of its credit budget",
    source: "/agents",
    data: z.object({
      month: z.string().describe("YYYY-MM"),
      monthly_credits: z.number().int(),
      alert_percent: z.number().int(),
      used_credits: z.number(),
    }),
  },
} as const satisfies Record<string, { when: string; source?: string; data: z.ZodObject }>;

export type HubEventType = keyof typeof HUB_EVENTS;
export type HubEventData<T extends HubEventType> = z.input<(typeof HUB_EVENTS)[T]["data"]>;
