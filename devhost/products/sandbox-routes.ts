// The sandboxed products' API: one route per catalogue action (plus PSA's agent records), each answering a plausible record.
import { z } from "zod";
import type { ProductAction } from "../../shared/products/catalogue";
import { actionKey, PRODUCT_ACTIONS } from "../../shared/products/catalogue";
import { resolvedParamsSchema } from "../../shared/products/params";
import { compileRouteTemplate } from "../../shared/http/route-template";
import type { RouteTemplate } from "../../shared/http/route-template";
import type { SandboxRecords } from "./sandbox-records";

export interface SandboxAnswer {
  status: number;
  body: unknown;
}

export interface SandboxContext {
  orgId: string;
  records: SandboxRecords;
  now: string;
}

type Params = Record<string, unknown>;
type Handler = (params: Params, context: SandboxContext) => SandboxAnswer;

export interface SandboxRoute {
  product: string;
  method: string;
  template: RouteTemplate;
  /** Checks the path parameters and the JSON body together, as one object. */
  schema: z.ZodType<Params>;
  handle: Handler;
}

const notFound = (what: string, id: string): SandboxAnswer => ({
  status: 404,
  body: { type: "about:blank", title: "Not found", status: 404, detail: `No ${what} ${id} in this org.` },
});

const DEFAULT_SUMMARY_WORDS = 50;

/** An extractive summary: the text's first words, so the answer is plausible and linear in the text. */
function summarize(text: string, maxWords: number): { summary: string; word_count: number } {
  const words = text.split(/\s+/).filter(Boolean);
  const kept = words.slice(0, maxWords);
  return { summary: kept.join(" ") + (words.length > maxWords ? " …" : ""), word_count: kept.length };
}

/** What each catalogue action does in the sandbox, by `product.action`. */
const ACTION_HANDLERS: Record<string, Handler> = {
  "psa.create_ticket": (p, { orgId, records, now }) => {
    const ticket = {
      id: records.nextId("T"),
      org_id: orgId,
      title: String(p.title),
      description: String(p.description ?? ""),
      priority: String(p.priority ?? "normal"),
      status: "open" as const,
      client_id: (p.client_id as string | undefined) ?? null,
      contact_email: (p.contact_email as string | undefined) ?? null,
      tags: (p.tags as string[] | undefined) ?? [],
      assignee_email: null,
      queue: null,
      note_count: 0,
      created_at: now,
      updated_at: now,
    };
    records.saveTicket(ticket);
    return { status: 201, body: ticket };
  },
  "psa.add_note": (p, { orgId, records, now }) => {
    const ticket = records.ticket(orgId, String(p.ticket_id));
    if (!ticket) return notFound("ticket", String(p.ticket_id));
    records.saveTicket({ ...ticket, note_count: ticket.note_count + 1, updated_at: now });
    const note = {
      id: records.nextId("N"),
      ticket_id: ticket.id,
      body: p.body,
      internal: p.internal ?? false,
    };
    return { status: 201, body: { ...note, created_at: now } };
  },
  "psa.assign_ticket": (p, { orgId, records, now }) => {
    const ticket = records.ticket(orgId, String(p.ticket_id));
    if (!ticket) return notFound("ticket", String(p.ticket_id));
    const assigned = {
      ...ticket,
      assignee_email: (p.assignee_email as string | undefined) ?? ticket.assignee_email,
      queue: (p.queue as string | undefined) ?? ticket.queue,
      updated_at: now,
    };
    records.saveTicket(assigned);
    return { status: 200, body: assigned };
  },
  // Defend's alerts and devices come from its own inventory, which the sandbox does not model: any id is taken.
  "defend.create_alert_note": (p, { records, now }) => ({
    status: 201,
    body: { id: records.nextId("AN"), alert_id: p.alert_id, body: p.body, created_at: now },
  }),
  "defend.isolate_device": (p, { records, now }) => ({
    status: 202,
    body: {
      id: records.nextId("ISO"),
      device_id: p.device_id,
      status: "isolation_pending",
      reason: p.reason,
      requested_at: now,
    },
  }),
  "portal.notify_client": (p, { records, now }) => ({
    status: 201,
    body: {
      id: records.nextId("PN"),
      client_id: p.client_id,
      subject: p.subject,
      status: "queued",
      queued_at: now,
    },
  }),
  "jarvis.summarize": (p, { records, now }) => ({
    status: 201,
    body: {
      id: records.nextId("S"),
      ...summarize(String(p.text), Number(p.max_words ?? DEFAULT_SUMMARY_WORDS)),
      model: "sandbox-extractive",
      created_at: now,
    },
  }),
};

function actionRoute(action: ProductAction): SandboxRoute {
  const key = actionKey(action.product, action.action);
  return {
    product: action.product,
    method: action.method,
    template: compileRouteTemplate(action.path),
    schema: resolvedParamsSchema(action),
    handle:
      ACTION_HANDLERS[key] ??
      (() => ({
        status: 501,
        body: {
          type: "about:blank",
          title: "Not implemented",
          status: 501,
          detail: `${key} has no stand-in.`,
        },
      })),
  };
}

/** PSA's agent record (what Hub's psa-sync upserts): one whole record per Hub user, in the key's org. */
const psaAgentSchema = z.strictObject({
  portal_user_id: z.string().min(1).max(128),
  org_id: z.string().min(1).max(128),
  email: z.email().max(254),
  firstName: z.string().max(200),
  lastName: z.string().max(200),
  role: z.enum(["admin", "agent", "read_only"]),
  active: z.boolean(),
});

const psaAgentRoute: SandboxRoute = {
  product: "psa",
  method: "PUT",
  template: compileRouteTemplate("/agents/{portal_user_id}"),
  schema: psaAgentSchema as z.ZodType<Params>,
  handle: (p, { orgId, records, now }) => {
    if (p.org_id !== orgId)
      return {
        status: 403,
        body: {
          type: "about:blank",
          title: "Forbidden",
          status: 403,
          detail: "org_id is not the key's org.",
        },
      };
    const existed = records.psaAgent(orgId, String(p.portal_user_id)) !== undefined;
    const agent = { ...(p as z.infer<typeof psaAgentSchema>), updated_at: now };
    records.savePsaAgent(agent);
    return { status: existed ? 200 : 201, body: agent };
  },
};

export const SANDBOX_ROUTES: readonly SandboxRoute[] = [...PRODUCT_ACTIONS.map(actionRoute), psaAgentRoute];
