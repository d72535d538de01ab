// POST /api/executions/{id}/approvals/{step_id}: an Admin or Technician decides a gate from the console.
import type * as df from "durable-functions";
import { z } from "zod";
import type { AuthPolicy, Principal } from "../auth/principal";
import type { Logger } from "../log";
import { deliverDecision, recordDecision } from "./decide";
import { approvalId } from "./model";

/** People only: a key can never decide (docs/auth.md), so no scope is accepted. */
export const DECIDE_APPROVALS: AuthPolicy = { audience: "agents", roles: ["admin", "technician"] };

export const decisionParams = z.object({
  id: z.string().min(1).max(128),
  step_id: z.string().min(1).max(64),
});
export const decisionBody = z.strictObject({
  decision: z.enum(["approve", "reject"]),
  note: z.string().trim().max(1000).optional(),
});

export async function decideByApi(
  principal: Principal,
  params: z.infer<typeof decisionParams>,
  body: z.infer<typeof decisionBody>,
  client: df.DurableClient,
  log: Logger,
) {
  const { approval, event } = await recordDecision({
    orgId: principal.org_id,
    approvalId: approvalId(params.id, params.step_id),
    decision: body.decision,
    decidedBy: principal.user_id!,
    note: body.note || undefined,
    via: "api",
  });
  await deliverDecision(client, approval, event, log);
  return { execution_id: approval.execution_id, step_id: approval.step_id, ...event };
}
