// POST /api/executions/{id}/approvals/{step_id}: an approver of the gate, or an org Admin, decides it from the console.
import type * as df from "durable-functions";
import { z } from "zod";
import type { AuthPolicy, Principal } from "../auth/principal";
import type { Logger } from "../log";
import { recordDecision, wakeExecution } from "./decide";
import { approvalId, DECISION_CHANNELS, progressOf } from "./model";

/**
 * People only: a key can never decide (docs/auth.md), so no scope is accepted. The route lets Agents users in;
 * whether this user may decide this gate (an approver of it, or an Admin) is the record's to say.
 */
export const DECIDE_APPROVALS: AuthPolicy = { audience: "agents", roles: ["admin", "technician"] };

export const decisionParams = z.object({
  id: z.string().min(1).max(128),
  step_id: z.string().min(1).max(64),
});
export const decisionBody = z.strictObject({
  decision: z.enum(["approve", "reject"]),
  note: z.string().trim().max(1000).optional(),
});

/** The answer of POST /api/executions/{id}/approvals/{step_id}: the decision as recorded. */
export const decisionResultSchema = z.object({
  execution_id: z.string(),
  step_id: z.string(),
  decision: z.enum(["approve", "reject"]),
  decided_by: z.string(),
  decided_at: z.string(),
  decision_note: z.string().optional(),
  channel: z.enum(DECISION_CHANNELS),
  status: z
    .enum(["pending", "approved", "rejected", "cancelled"])
    .describe("The gate's status after this decision"),
  progress: z.string().describe('e.g. "1 of 2 approved"'),
});

export async function decideByApi(
  principal: Principal,
  params: z.infer<typeof decisionParams>,
  body: z.infer<typeof decisionBody>,
  client: df.DurableClient,
  log: Logger,
): Promise<z.infer<typeof decisionResultSchema>> {
  const { approval, entry, settled } = await recordDecision({
    orgId: principal.org_id,
    approvalId: approvalId(params.id, params.step_id),
    decision: body.decision,
    decider: { via: "api", principal },
    note: body.note || undefined,
  });
  if (settled) await wakeExecution(client, approval, log);
  return {
    execution_id: approval.execution_id,
    step_id: approval.step_id,
    decision: entry.decision,
    decided_by: entry.decided_by,
    decided_at: entry.decided_at,
    ...(entry.decision_note ? { decision_note: entry.decision_note } : {}),
    channel: entry.channel,
    status: approval.status,
    progress: progressOf(approval),
  };
}
