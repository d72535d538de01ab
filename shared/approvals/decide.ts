// Recording a gate's decision: exactly one wins (an ETag-conditional write), then the execution hears of it.
import type * as df from "durable-functions";
import { now, nowMs } from "../clock";
import { AppError, isAppError } from "../errors";
import type { Logger } from "../log";
import type { ApprovalDoc, Decision, DecisionEvent } from "./model";
import { approvalDocs, decisionEventName, decisionOf } from "./model";

export const alreadyDecided = () =>
  new AppError("resource.conflict", "This approval has already been decided.");

export interface DecisionRequest {
  orgId: string;
  approvalId: string;
  decision: Decision;
  decidedBy: string;
  note?: string;
  via: "link" | "api";
}

/**
 * Flips the record from pending to decided only if nobody changed it since it was read; a lost race, a
 * decided or an expired gate answers `resource.conflict`. Returns the decision that was recorded.
 */
export async function recordDecision(
  request: DecisionRequest,
): Promise<{ approval: ApprovalDoc; event: DecisionEvent }> {
  const current = await approvalDocs.read(request.orgId, request.approvalId);
  if (!current || current.kind !== "approval") throw new AppError("resource.not_found", "No such approval.");
  if (current.status !== "pending" || nowMs() >= Date.parse(current.expires_at)) throw alreadyDecided();
  const decided: ApprovalDoc = {
    ...current,
    status: request.decision === "approve" ? "approved" : "rejected",
    decided_by: request.decidedBy,
    decided_at: now().toISOString(),
    decided_via: request.via,
    ...(request.note ? { decision_note: request.note } : {}),
  };
  try {
    const saved = await approvalDocs.replace(decided, current._etag);
    return { approval: saved, event: decisionOf(saved)! };
  } catch (error) {
    if (isAppError(error) && error.code === "precondition.failed") throw alreadyDecided();
    throw error;
  }
}

/**
 * Tells the waiting execution. Should this fail, nothing is lost: the record holds the decision, and the gate's
 * timer reads the record when it fires (closeApprovalGate) and takes that decision.
 */
export async function deliverDecision(
  client: df.DurableClient,
  approval: ApprovalDoc,
  event: DecisionEvent,
  log: Logger,
) {
  try {
    await client.raiseEvent(approval.execution_id, decisionEventName(approval.step_id), event);
  } catch (error) {
    log.warn("decision recorded but not yet delivered; the gate's timer will pick it up", {
      execution_id: approval.execution_id,
      step_id: approval.step_id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Activity, when the gate's timer wins: settles the record with `on_timeout`, unless someone decided just before. */
export async function closeApprovalGate(input: {
  org_id: string;
  approval_id: string;
}): Promise<DecisionEvent> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await approvalDocs.read(input.org_id, input.approval_id);
    if (!current) throw new Error(`approval ${input.approval_id} is missing`);
    const existing = decisionOf(current);
    if (existing) return existing;
    const timedOut: ApprovalDoc = {
      ...current,
      status: current.on_timeout === "approve" ? "approved" : "rejected",
      decided_by: "system:timeout",
      decided_at: current.expires_at,
      decided_via: "timeout",
    };
    try {
      return decisionOf(await approvalDocs.replace(timedOut, current._etag))!;
    } catch (error) {
      if (!isAppError(error) || error.code !== "precondition.failed") throw error;
    }
  }
  throw new Error(`approval ${input.approval_id} kept changing`);
}

export type { Decision };
