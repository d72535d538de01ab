// Activities for an undecided gate: remind the approvers who have not decided, and escalate to more approvers.
import type { Approver } from "../agents/steps";
import { now } from "../clock";
import { isAppError } from "../errors";
import { sendApproverLink } from "./approver-links";
import type { ApprovalDoc, DecisionEvent } from "./model";
import { approvalDocs, decisionOf, hasDecided, withIndexFields } from "./model";
import type { WithEtag } from "../store/repository";
import { markSelf, traceOf } from "./open-gate";
import type { ApproverTrace } from "./open-gate";
import { resolveApprovers } from "./resolve-approvers";

interface GateRef {
  org_id: string;
  approval_id: string;
}

/** Once the gate is decided nothing more is sent: the activity hands the outcome back instead. */
export interface FollowUpOutput {
  decided: DecisionEvent | null;
  /** Who was reminded, or who the escalation added. */
  approvers: string[];
  recipients?: ApproverTrace[];
}

async function gate(ref: GateRef): Promise<WithEtag<ApprovalDoc>> {
  const current = await approvalDocs.read(ref.org_id, ref.approval_id);
  if (!current) throw new Error(`approval ${ref.approval_id} is missing`);
  return current;
}

/** Reminder number `round`: each approver who may decide and has not gets their own link again. */
export async function remindApprovers(input: GateRef & { round: number }): Promise<FollowUpOutput> {
  const current = await gate(input);
  const decided = decisionOf(current);
  if (decided) return { decided, approvers: [] };
  const waiting = current.recipients.filter(
    (recipient) =>
      recipient.may_decide !== false && !hasDecided(current, recipient.identity, recipient.user_id),
  );
  for (const recipient of waiting) await sendApproverLink(current, recipient, input.round);
  return { decided: null, approvers: waiting.map((recipient) => recipient.identity) };
}

/**
 * Adds the escalation's approvers to the record (under its ETag; the first approvers keep their links), then sends
 * the new ones their links. Run again, it finds them there and re-sends nothing new.
 */
export async function escalateGate(input: GateRef & { approvers: Approver[] }): Promise<FollowUpOutput> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const current = await gate(input);
    const decided = decisionOf(current);
    if (decided) return { decided, approvers: [] };
    const { recipients } = await resolveApprovers(current.org_id, input.approvers, "escalation");
    const fresh = markSelf(
      recipients.filter(
        (recipient) =>
          !current.recipients.some(
            (known) =>
              known.identity === recipient.identity ||
              (recipient.user_id !== undefined && known.user_id === recipient.user_id),
          ),
      ),
      current.requested_by ?? null,
      current.allow_self_approval ?? false,
    );
    const updated = withIndexFields({
      ...current,
      recipients: [...current.recipients, ...fresh],
      escalated_at: current.escalated_at ?? now().toISOString(),
    });
    try {
      const saved = await approvalDocs.replace(updated, current._etag);
      const added = saved.recipients.filter((recipient) => recipient.added_by === "escalation");
      for (const recipient of added) await sendApproverLink(saved, recipient);
      return {
        decided: null,
        approvers: added.map((recipient) => recipient.identity),
        recipients: saved.recipients.map(traceOf),
      };
    } catch (error) {
      if (!isAppError(error) || error.code !== "precondition.failed") throw error;
    }
  }
  throw new Error(`approval ${input.approval_id} kept changing`);
}
