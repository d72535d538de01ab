// The product action catalogue: every action an agent step may take, as data (method, path, params, impact, credits).
import type { ParamSpec } from "./params";

export type ActionImpact = "additive" | "high_impact";

export interface ProductAction {
  product: string;
  action: string;
  summary: string;
  /** Called on `PRODUCT_<SLUG>_BASE_URL`; `{name}` segments of the path come from the params of the same name. */
  method: "POST" | "PUT" | "PATCH";
  path: string;
  params: Record<string, ParamSpec>;
  /** High-impact actions need the org's opt-in and a preceding approval gate (docs/agents.md). */
  impact: ActionImpact;
  credits: number;
}

const id = { type: "string", required: true, max: 128 } as const;

export const PRODUCT_ACTIONS: readonly ProductAction[] = [
  {
    product: "psa",
    action: "create_ticket",
    summary: "Open a PSA ticket.",
    method: "POST",
    path: "/tickets",
    params: {
      title: { type: "string", required: true, max: 200 },
      description: { type: "string", max: 8000 },
      priority: { type: "enum", values: ["low", "normal", "high", "urgent"] },
      client_id: { type: "string", max: 128 },
      contact_email: { type: "string", max: 254 },
      tags: { type: "string_list", max: 20 },
    },
    impact: "additive",
    credits: 1,
  },
  {
    product: "psa",
    action: "add_note",
    summary: "Add a note to a PSA ticket.",
    method: "POST",
    path: "/tickets/{ticket_id}/notes",
    params: {
      ticket_id: id,
      body: { type: "string", required: true, max: 8000 },
      internal: { type: "boolean" },
    },
    impact: "additive",
    credits: 1,
  },
  {
    product: "psa",
    action: "assign_ticket",
    summary: "Assign a PSA ticket to a technician or a queue.",
    method: "PUT",
    path: "/tickets/{ticket_id}/assignee",
    params: {
      ticket_id: id,
      assignee_email: { type: "string", max: 254 },
      queue: { type: "string", max: 128 },
    },
    impact: "additive",
    credits: 1,
  },
  {
    product: "defend",
    action: "create_alert_note",
    summary: "Add a note to a Defend alert.",
    method: "POST",
    path: "/alerts/{alert_id}/notes",
    params: { alert_id: id, body: { type: "string", required: true, max: 8000 } },
    impact: "additive",
    credits: 1,
  },
  {
    product: "defend",
    action: "isolate_device",
    summary: "Cut a device off the network until an analyst releases it.",
    method: "POST",
    path: "/devices/{device_id}/isolate",
    params: { device_id: id, reason: { type: "string", required: true, max: 2000 } },
    impact: "high_impact",
    credits: 1,
  },
  {
    product: "portal",
    action: "notify_client",
    summary: "Send a message to a client through the Portal.",
    method: "POST",
    path: "/notifications",
    params: {
      client_id: { type: "string", required: true, max: 128 },
      subject: { type: "string", required: true, max: 200 },
      message: { type: "string", required: true, max: 8000 },
    },
    impact: "additive",
    credits: 1,
  },
  {
    product: "jarvis",
    action: "summarize",
    summary: "Summarize a text with Jarvis.",
    method: "POST",
    path: "/summaries",
    params: {
      text: { type: "string", required: true, max: 32000 },
      max_words: { type: "integer", min: 10, max: 1000 },
    },
    impact: "additive",
    credits: 1,
  },
];

/** `product.action`, the name settings and error messages use. */
export const actionKey = (product: string, action: string): string => `${product}.${action}`;

const byKey = new Map(PRODUCT_ACTIONS.map((entry) => [actionKey(entry.product, entry.action), entry]));

export function findProductAction(product: string, action: string): ProductAction | undefined {
  return byKey.get(actionKey(product, action));
}

export const HIGH_IMPACT_ACTION_KEYS: readonly string[] = PRODUCT_ACTIONS.filter(
  (entry) => entry.impact === "high_impact",
).map((entry) => actionKey(entry.product, entry.action));
