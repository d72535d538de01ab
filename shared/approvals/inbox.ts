// GET /api/approvals?status=pending and GET /api/approvals/{execution_id}/{step_id}: what waits for the caller (docs/approvals.md).
import { z } from "zod";
import type { AuthPolicy, Principal } from "../auth/principal";
import { nowMs } from "../clock";
import { AppError } from "../errors";
import type { ApprovalDoc } from "./model";
import { approvalDocs, approvalId, countOf, decisionsOf, progressOf, requiredOf } from "./model";
import { deciderOn } from "./decide";
import { traceOf } from "./open-gate";

/** People with an Agents role; keys cannot decide, so they have no inbox. */
export const READ_APPROVALS: AuthPolicy = { audience: "agents", roles: ["admin", "technician"] };

export const inboxQuery = z.object({
  status: z.literal("pending").default("pending"),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  continuation: z.string().min(1).max(4096).optional(),
});

export const approvalParams = z.object({
  execution_id: z.string().min(1).max(128),
  step_id: z.string().min(1).max(64),
});

const decisionSchema = z.enum(["approve", "reject"]);

/** A gate as the inbox shows it (GET /api/approvals and GET /api/approvals/{execution_id}/{step_id}). */
export const approvalViewSchema = z
  .object({
    execution_id: z.string(),
    step_id: z.string(),
    agent_id: z.string(),
    agent_name: z.string(),
    message: z.string(),
    trigger: z.object({
      type: z.string(),
      subject: z.string().optional(),
      time: z.string().optional(),
      source: z.string().optional(),
    }),
    status: z.enum(["pending", "approved", "rejected", "cancelled"]),
    created_at: z.string(),
    expires_at: z.string(),
    required_approvals: z.number().int(),
    approvals: z.number().int(),
    rejections: z.number().int(),
    progress: z.string().describe('e.g. "1 of 2 approved"'),
    approvers: z.array(
      z.object({
        approver: z.string(),
        channel: z.enum(["email", "sms"]),
        resolved_from: z.array(z.string()),
        added_by: z.enum(["gate", "escalation"]),
        may_decide: z.boolean(),
      }),
    ),
    decisions: z.array(
      z.object({
        decision: decisionSchema,
        decided_by: z.string(),
        user_id: z.string().optional(),
        channel: z.enum(["email_link", "sms_link", "api"]),
        decided_at: z.string(),
        decision_note: z.string().optional(),
      }),
    ),
    decided_by: z.string().optional(),
    decided_at: z.string().optional(),
    decision_note: z.string().optional(),
    can_decide: z.boolean().describe("Whether the caller may decide it now"),
  })
  .meta({ id: "Approval" });

export const approvalListSchema = z.object({
  items: z.array(approvalViewSchema),
  continuation: z.string().nullable().describe("Pass as ?continuation= for the next page; null at the end"),
});

const isAdmin = (principal: Principal) => principal.roles.includes("admin");

/** Whether this caller could decide the gate right now: the same rule the decision itself applies. */
export function mayDecide(doc: ApprovalDoc, principal: Principal): boolean {
  if (doc.status !== "pending" || nowMs() >= Date.parse(doc.expires_at)) return false;
  try {
    deciderOn(doc, { via: "api", principal });
  } catch {
    return false;
  }
  return !(doc.excluded_user_ids ?? []).includes(principal.user_id!);
}

export function approvalView(doc: ApprovalDoc, principal: Principal): z.infer<typeof approvalViewSchema> {
  return {
    execution_id: doc.execution_id,
    step_id: doc.step_id,
    agent_id: doc.agent_id,
    agent_name: doc.agent_name,
    message: doc.message,
    trigger: doc.trigger_summary,
    status: doc.status,
    created_at: doc.created_at,
    expires_at: doc.expires_at,
    required_approvals: requiredOf(doc),
    approvals: countOf(doc, "approve"),
    rejections: countOf(doc, "reject"),
    progress: progressOf(doc),
    approvers: doc.recipients.map(traceOf),
    decisions: decisionsOf(doc),
    ...(doc.status === "pending"
      ? {}
      : { decided_by: doc.decided_by, decided_at: doc.decided_at, decision_note: doc.decision_note }),
    can_decide: mayDecide(doc, principal),
  };
}

/**
 * The pending, unexpired gates this caller may decide: for an Admin every such gate of the org, for a Technician
 * those they are an approver of — either way minus those they requested (without self-approval) or decided.
 */
export async function listPendingApprovals(principal: Principal, query: z.infer<typeof inboxQuery>) {
  const userId = principal.user_id!;
  const mine = isAdmin(principal)
    ? "NOT ARRAY_CONTAINS(c.excluded_user_ids, @user_id)"
    : "ARRAY_CONTAINS(c.deciders, @user_id)";
  const page = await approvalDocs.query<ApprovalDoc>(
    principal.org_id,
    {
      query:
        "SELECT * FROM c WHERE c.org_id = @org_id AND c.kind = 'approval' AND c.status = 'pending' " +
        `AND c.expires_at > @now AND ${mine} ORDER BY c.expires_at`,
      parameters: [
        { name: "@user_id", value: userId },
        { name: "@now", value: new Date(nowMs()).toISOString() },
      ],
    },
    { limit: query.limit, continuation: query.continuation },
  );
  return { items: page.items.map((doc) => approvalView(doc, principal)), continuation: page.continuation };
}

/** One gate of the caller's org, decided or not, with whether the caller may decide it. */
export async function getApproval(principal: Principal, params: z.infer<typeof approvalParams>) {
  const doc = await approvalDocs.read(principal.org_id, approvalId(params.execution_id, params.step_id));
  if (!doc || doc.kind !== "approval") throw new AppError("resource.not_found", "No such approval.");
  return approvalView(doc, principal);
}
