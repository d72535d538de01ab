// Activity: opens an approval gate — its record (approvers resolved now), one link per approver, and the messages.
import { now } from "../clock";
import type { Approver } from "../agents/steps";
import { sendApproverLink } from "./approver-links";
import type { ApprovalDoc, Decision, Recipient } from "./model";
import { approvalDocs, approvalId, withIndexFields } from "./model";
import { resolveApprovers } from "./resolve-approvers";

export interface OpenGateInput {
  org_id: string;
  execution_id: string;
  step_id: string;
  agent_id: string;
  agent_name: string;
  message: string;
  /** Exactly one field each (the agent schema guarantees it). */
  approvers: Approver[];
  expires_at: string;
  on_timeout: Decision;
  trigger_summary: ApprovalDoc["trigger_summary"];
  required_approvals?: number;
  allow_self_approval?: boolean;
  /** The user whose action produced the trigger event, or null (shared/approvals/requester.ts). */
  requested_by?: string | null;
  /** The gate escalates later: too few approvers now is not yet final. */
  escalates?: boolean;
}

/** How each approver was resolved, for the audit log (never the addresses of role-resolved users). */
export interface ApproverTrace {
  approver: string;
  channel: "email" | "sms";
  resolved_from: string[];
  added_by: "gate" | "escalation";
  may_decide: boolean;
}

export interface OpenGateOutput {
  recipients: ApproverTrace[];
  /** Entries that reached nobody: user ids that are not active users of the org, roles nobody holds. */
  unreachable: string[];
  required_approvals: number;
  requested_by: string | null;
  /** Set when the gate cannot reach its quorum with the approvers it has: nothing was sent, the step fails. */
  insufficient?: string;
}

export const traceOf = (recipient: Recipient): ApproverTrace => ({
  approver: recipient.identity,
  channel: recipient.channel,
  resolved_from: recipient.resolved_from ?? [],
  added_by: recipient.added_by ?? "gate",
  may_decide: recipient.may_decide !== false,
});

/** The requester may not decide their own request unless the gate says so. */
export function markSelf(
  recipients: Recipient[],
  requestedBy: string | null,
  allowSelf: boolean,
): Recipient[] {
  return recipients.map((recipient) => ({
    ...recipient,
    may_decide: allowSelf || !requestedBy || recipient.user_id !== requestedBy,
  }));
}

export async function openApprovalGate(input: OpenGateInput): Promise<OpenGateOutput> {
  const requestedBy = input.requested_by ?? null;
  const allowSelf = input.allow_self_approval ?? false;
  const required = input.required_approvals ?? 1;
  const id = approvalId(input.execution_id, input.step_id);
  // Repeating this activity after a crash finds the record in place and keeps the approvers it resolved then.
  const existing = await approvalDocs.read(input.org_id, id);
  const resolved = existing
    ? { recipients: existing.recipients, unreachable: existing.unreachable ?? [] }
    : await resolveApprovers(input.org_id, input.approvers, "gate");
  const recipients = markSelf(resolved.recipients, requestedBy, allowSelf);
  const output = {
    recipients: recipients.map(traceOf),
    unreachable: resolved.unreachable,
    required_approvals: required,
    requested_by: requestedBy,
  };
  const eligible = recipients.filter((recipient) => recipient.may_decide).length;
  if (!existing && eligible < required && !input.escalates)
    return {
      ...output,
      insufficient: `needs ${required} approval(s) but only ${eligible} approver(s) may decide`,
    };
  const approval = withIndexFields({
    id,
    org_id: input.org_id,
    kind: "approval",
    execution_id: input.execution_id,
    step_id: input.step_id,
    agent_id: input.agent_id,
    agent_name: input.agent_name,
    message: input.message,
    trigger_summary: input.trigger_summary,
    recipients,
    unreachable: resolved.unreachable,
    expires_at: input.expires_at,
    on_timeout: input.on_timeout,
    required_approvals: required,
    allow_self_approval: allowSelf,
    requested_by: requestedBy,
    decisions: [],
    status: "pending",
    created_at: now().toISOString(),
  });
  const stored = existing ?? (await approvalDocs.createIfAbsent(approval)) ?? approval;
  // The requester gets their link too: the page tells them why they cannot decide. Re-sent links are no-ops.
  for (const recipient of stored.recipients) await sendApproverLink(stored, recipient);
  return output;
}
