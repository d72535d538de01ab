// Recording decisions: each is appended to the gate's record under its ETag; the record alone says when the gate is decided.
import type * as df from "durable-functions";
import type { Principal } from "../auth/principal";
import { now, nowMs } from "../clock";
import { AppError, isAppError } from "../errors";
import type { Logger } from "../log";
import type { ApprovalDoc, Decision, DecisionChannel, DecisionEvent, GateDecision, Recipient } from "./model";
import {
  approvalDocs,
  countOf,
  decisionEventName,
  decisionOf,
  decisionsOf,
  hasDecided,
  requiredOf,
  withIndexFields,
} from "./model";

export const alreadyDecided = () =>
  new AppError("resource.conflict", "This approval has already been decided.");
export const youAlreadyDecided = () =>
  new AppError("resource.conflict", "You have already decided this approval.");
export const selfApprovalRefused = () =>
  new AppError("auth.forbidden", "You cannot decide an approval your own action requested.");
export const notAnApprover = () =>
  new AppError("auth.forbidden", "Only an approver of this gate or an org Admin can decide it.");

/** Who is deciding: the holder of a link (named by it), or a signed-in user through the API. */
export type Decider = { via: "link"; identity: string } | { via: "api"; principal: Principal };

export interface DecisionRequest {
  orgId: string;
  approvalId: string;
  decision: Decision;
  decider: Decider;
  note?: string;
}

export interface Recorded {
  approval: ApprovalDoc;
  entry: GateDecision;
  /** True when this decision settled the gate (the last approval needed, or a rejection). */
  settled: boolean;
}

/** Enough rounds for every approver of a gate to land one write each, even when all decide at once. */
const MAX_ATTEMPTS = 50;

/** Who this decider is on this gate, or the reason they may not decide it. Pure. */
export function deciderOn(
  doc: ApprovalDoc,
  decider: Decider,
): { identity: string; userId?: string; channel: DecisionChannel } {
  const selfBlocked = (userId?: string) =>
    !doc.allow_self_approval && Boolean(doc.requested_by) && userId === doc.requested_by;
  if (decider.via === "link") {
    const recipient: Recipient | undefined = doc.recipients.find((r) => r.identity === decider.identity);
    if (!recipient) throw new AppError("resource.not_found", "No such approval.");
    if (recipient.may_decide === false || selfBlocked(recipient.user_id)) throw selfApprovalRefused();
    return {
      identity: recipient.identity,
      userId: recipient.user_id,
      channel: recipient.channel === "sms" ? "sms_link" : "email_link",
    };
  }
  const userId = decider.principal.user_id!;
  const listed = doc.recipients.find((recipient) => recipient.user_id === userId);
  if (!listed && !decider.principal.roles.includes("admin")) throw notAnApprover();
  if (selfBlocked(userId) || listed?.may_decide === false) throw selfApprovalRefused();
  return { identity: userId, userId, channel: "api" };
}

/**
 * Appends the decision if the gate is pending, unexpired, and this person may decide and has not: a rejection
 * settles it at once, an approval when it completes the quorum. A write that lost a race (412) reads the record
 * again and tries again, so of many simultaneous approvals exactly the needed number lands.
 */
export async function recordDecision(request: DecisionRequest): Promise<Recorded> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await approvalDocs.read(request.orgId, request.approvalId);
    if (!current || current.kind !== "approval")
      throw new AppError("resource.not_found", "No such approval.");
    const who = deciderOn(current, request.decider);
    if (current.status !== "pending" || nowMs() >= Date.parse(current.expires_at)) throw alreadyDecided();
    if (hasDecided(current, who.identity, who.userId)) throw youAlreadyDecided();
    const entry: GateDecision = {
      decision: request.decision,
      decided_by: who.identity,
      ...(who.userId ? { user_id: who.userId } : {}),
      channel: who.channel,
      decided_at: now().toISOString(),
      ...(request.note ? { decision_note: request.note } : {}),
    };
    const next: ApprovalDoc = { ...current, decisions: [...decisionsOf(current), entry] };
    const settled = request.decision === "reject" || countOf(next, "approve") >= requiredOf(next);
    const updated = withIndexFields(
      settled
        ? {
            ...next,
            status: request.decision === "approve" ? "approved" : "rejected",
            decided_by: entry.decided_by,
            decided_at: entry.decided_at,
            decision_note: entry.decision_note,
            decided_via: request.decider.via,
          }
        : next,
    );
    try {
      return { approval: await approvalDocs.replace(updated, current._etag), entry, settled };
    } catch (error) {
      if (!isAppError(error) || error.code !== "precondition.failed") throw error;
    }
  }
  throw new AppError("store.unavailable", "The approval is busy; try again.", { retryAfter: 1 });
}

/**
 * Wakes the waiting execution, which then reads the record (the event itself carries nothing it trusts). Should
 * this fail, nothing is lost: the gate's next timer reads the record too.
 */
export async function wakeExecution(client: df.DurableClient, approval: ApprovalDoc, log: Logger) {
  try {
    await client.raiseEvent(approval.execution_id, decisionEventName(approval.step_id), {
      approval_id: approval.id,
    });
  } catch (error) {
    log.warn("decision recorded but the execution was not woken; the gate's next timer will read it", {
      execution_id: approval.execution_id,
      step_id: approval.step_id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Activity: what the record holds now — the gate's outcome once decided, else null. */
export async function readGateDecision(input: {
  org_id: string;
  approval_id: string;
}): Promise<DecisionEvent | null> {
  const current = await approvalDocs.read(input.org_id, input.approval_id);
  if (!current) throw new Error(`approval ${input.approval_id} is missing`);
  return decisionOf(current);
}

/** Activity, when the gate's deadline passes: settles the record with `on_timeout`, unless someone decided first. */
export async function closeApprovalGate(input: {
  org_id: string;
  approval_id: string;
}): Promise<DecisionEvent> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await approvalDocs.read(input.org_id, input.approval_id);
    if (!current) throw new Error(`approval ${input.approval_id} is missing`);
    const existing = decisionOf(current);
    if (existing) return existing;
    const timedOut = withIndexFields({
      ...current,
      status: current.on_timeout === "approve" ? "approved" : "rejected",
      decided_by: "system:timeout",
      decided_at: current.expires_at,
      decided_via: "timeout",
    });
    try {
      return decisionOf(await approvalDocs.replace(timedOut, current._etag))!;
    } catch (error) {
      if (!isAppError(error) || error.code !== "precondition.failed") throw error;
    }
  }
  throw new Error(`approval ${input.approval_id} kept changing`);
}

export type { Decision };
