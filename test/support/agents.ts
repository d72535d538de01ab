// Agent bodies shared by the agents tests: the README's example and small builders.
import type { AgentInput } from "../../shared/agents/schema";

/** The README's example agent (a test checks that the README still shows exactly this). */
export const exampleAgent = {
  name: "Ticket for every new user",
  description: "Opens a PSA ticket to set up each user added in Hub, and tells the service desk.",
  status: "active",
  trigger: {
    event_type: "hub.iam.user_created",
    filter: [{ path: "orgRole", op: "in", value: ["member", "admin"] }],
  },
  steps: [
    {
      id: "open-ticket",
      type: "product_action",
      product: "psa",
      action: "create_ticket",
      params: {
        title: "Set up {{trigger.data.firstName}} {{trigger.data.lastName}}",
        description: "{{trigger.data.email}} joined as {{trigger.data.orgRole}}.",
        priority: "normal",
        contact_email: "{{trigger.data.email}}",
      },
      save_as: "ticket",
    },
    {
      id: "tell-desk",
      type: "notification",
      when: { path: "trigger.data.orgRole", op: "eq", value: "admin" },
      channel: "email",
      to: ["servicedesk@example.com"],
      subject: "New admin: {{trigger.data.email}}",
      message: "Ticket {{context.ticket.id}} was opened to set up a new admin.",
    },
  ],
  conflict_behavior: "run_alongside",
} satisfies AgentInput;

/** A minimal valid agent with one PSA ticket step. */
export function ticketAgent(overrides: Partial<AgentInput> = {}): AgentInput {
  return {
    name: "Ticket on user created",
    trigger: { event_type: "hub.iam.user_created" },
    steps: [
      {
        id: "ticket",
        type: "product_action",
        product: "psa",
        action: "create_ticket",
        params: { title: "New user {{trigger.data.email}}" },
      },
    ],
    ...overrides,
  };
}

/** An agent that isolates a device behind an approval gate (valid once the org enables isolation). */
export function isolationAgent(overrides: Partial<AgentInput> = {}): AgentInput {
  return {
    name: "Isolate on critical alert",
    trigger: {
      event_type: "defend.alert.created",
      filter: [{ path: "severity", op: "eq", value: "critical" }],
    },
    steps: [
      {
        id: "approve",
        type: "approval_gate",
        approvers: [{ email: "soc@example.com" }],
        message: "Isolate {{trigger.data.device_id}}?",
      },
      {
        id: "isolate",
        type: "product_action",
        product: "defend",
        action: "isolate_device",
        params: {
          device_id: "{{trigger.data.device_id}}",
          reason: "Critical alert {{trigger.data.alert_id}}",
        },
      },
    ],
    ...overrides,
  };
}
