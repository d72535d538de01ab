// The system agents shipped with the app: conservative (tickets, notes, notifications), read-only, pausable per org.
import type { Agent, AgentInput } from "./schema";
import { agentInputSchema } from "./schema";

export const SYSTEM_ORG_ID = "system";
/** Bump when a definition below changes, so the seed rewrites the stored copy. */
const CATALOGUE_VERSION = 2;
const PUBLISHED_AT = "2025-01-01T00:00:00.000Z";

const definitions: (AgentInput & { id: string })[] = [
  {
    id: "sys-onboard-new-user",
    name: "Onboard a new user",
    description: "Opens a PSA ticket to set up the accounts and devices of a user added in Hub.",
    trigger: { event_type: "hub.iam.user_created" },
    steps: [
      {
        id: "open-ticket",
        type: "product_action",
        product: "psa",
        action: "create_ticket",
        params: {
          title: "Onboard {{trigger.data.firstName}} {{trigger.data.lastName}}",
          description:
            "{{trigger.data.email}} joined as {{trigger.data.orgRole}}. Set up their accounts and devices.",
          priority: "normal",
          tags: ["onboarding"],
        },
      },
    ],
  },
  {
    id: "sys-offboard-deactivated-user",
    name: "Offboard a deactivated user",
    description: "Opens a PSA ticket with the offboarding checklist when a user is deactivated in Hub.",
    trigger: { event_type: "hub.iam.user_deactivated" },
    steps: [
      {
        id: "open-ticket",
        type: "product_action",
        product: "psa",
        action: "create_ticket",
        params: { title: "Offboard user {{trigger.data.user_id}}", priority: "high", tags: ["offboarding"] },
        save_as: "ticket",
      },
      {
        id: "checklist",
        type: "product_action",
        product: "psa",
        action: "add_note",
        params: {
          ticket_id: "{{context.ticket.id}}",
          body: "Recover devices, transfer mailbox and files, remove from shared credentials.",
          internal: true,
        },
      },
    ],
  },
  {
    id: "sys-review-privilege-escalation",
    name: "Review a privilege escalation",
    description: "Opens a high-priority PSA ticket when a user's role is raised.",
    trigger: {
      event_type: "hub.iam.permission_changed",
      filter: [{ path: "escalation", op: "eq", value: true }],
    },
    steps: [
      {
        id: "open-ticket",
        type: "product_action",
        product: "psa",
        action: "create_ticket",
        params: {
          title: "Review privilege escalation of {{trigger.data.user_id}}",
          description:
            "Changed by {{trigger.data.changed_by}}: {{trigger.data.before}} → {{trigger.data.after}}.",
          priority: "high",
          tags: ["security"],
        },
      },
    ],
  },
  {
    id: "sys-notify-account-locked",
    name: "Tell a user their account is locked",
    description: "Emails the user once when repeated failed sign-ins lock their account.",
    // Once per lock: attempts made while locked are published too (reason `locked`) and must not mail anyone.
    trigger: {
      event_type: "hub.auth.login_failed",
      filter: [{ path: "lock_started", op: "eq", value: true }],
    },
    steps: [
      {
        id: "email-user",
        type: "notification",
        channel: "email",
        to: ["{{trigger.data.email}}"],
        subject: "Your account is locked for 15 minutes",
        message:
          "Several sign-ins failed, so your account is locked for 15 minutes. If it was not you, tell your admin.",
      },
    ],
  },
];

/** The catalogue, validated by the same schema as custom agents when the module loads. */
export const SYSTEM_AGENTS: readonly Agent[] = definitions.map(({ id, ...input }) => ({
  ...agentInputSchema.parse(input),
  id,
  org_id: SYSTEM_ORG_ID,
  is_system: true,
  created_at: PUBLISHED_AT,
  created_by: "system",
  updated_at: PUBLISHED_AT,
  version: CATALOGUE_VERSION,
}));

const byId = new Map(SYSTEM_AGENTS.map((agent) => [agent.id, agent]));

export const findSystemAgent = (id: string): Agent | undefined => byId.get(id);
export const isSystemAgentId = (id: string): boolean => byId.has(id);
