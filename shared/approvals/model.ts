// Approval gates as stored: one record per gate (the single source of its decisions) and one per decision link.
import type { StoredDoc } from "../store/repository";
import { TenantRepository } from "../store/repository";

export type Decision = "approve" | "reject";

/** How a decision reached the record (docs/approvals.md). */
export const DECISION_CHANNELS = ["email_link", "sms_link", "api"] as const;
export type DecisionChannel = (typeof DECISION_CHANNELS)[number];

/** One person who may be asked, as resolved when the gate opened (or when it escalated). */
export interface Recipient {
  /** Who decided, as the audit names them: `email:…`, `phone:…`, or the Hub user id. */
  identity: string;
  channel: "email" | "sms";
  address: string;
  /** The Hub user behind this approver, when known: user and role approvers, and emails of the org's users. */
  user_id?: string;
  /** How the gate's approvers list led here, e.g. `email`, `user_id`, `org_role:admin`, `product_role:agents:technician`. */
  resolved_from?: string[];
  /** `gate` for the first approvers, `escalation` for those the escalation added. */
  added_by?: "gate" | "escalation";
  added_at?: string;
  /** False for the user whose action triggered the execution, unless the gate allows self-approval. */
  may_decide?: boolean;
}

/** One person's decision, appended to the record under its ETag. */
export interface GateDecision {
  decision: Decision;
  decided_by: string;
  user_id?: string;
  channel: DecisionChannel;
  decided_at: string;
  decision_note?: string;
}

export interface ApprovalDoc extends StoredDoc {
  kind: "approval";
  execution_id: string;
  step_id: string;
  agent_id: string;
  agent_name: string;
  message: string;
  /** What triggered the execution, in a few words, for the decision page. */
  trigger_summary: { type: string; subject?: string; time?: string; source?: string };
  recipients: Recipient[];
  /** Approvers entries that reached nobody when the gate opened. */
  unreachable?: string[];
  expires_at: string;
  on_timeout: Decision;
  /** Approvals needed (absent on gates opened before quorums existed: 1). */
  required_approvals?: number;
  allow_self_approval?: boolean;
  /** The user whose action produced the trigger event (docs/events.md names the field per type), or null. */
  requested_by?: string | null;
  decisions?: GateDecision[];
  /** Users who may still decide (for the inbox's query): approvers' user ids, minus who decided or may not. */
  deciders?: string[];
  /** Users who may not decide any more: who decided, and the requester unless self-approval is allowed. */
  excluded_user_ids?: string[];
  /** `cancelled` when the execution was cancelled while waiting: its links answer 410, nothing more is recorded. */
  status: "pending" | "approved" | "rejected" | "cancelled";
  /** The gate's outcome: who settled it (the last needed approval, a rejection, or `system:timeout`). */
  decided_by?: string;
  decided_at?: string;
  decision_note?: string;
  decided_via?: "link" | "api" | "timeout";
  escalated_at?: string;
  created_at: string;
}

export interface LinkDoc extends StoredDoc {
  kind: "approval_link";
  approval_id: string;
  execution_id: string;
  step_id: string;
  recipient: string;
}

/** The gate's outcome as the execution records it: the settling decision, every decision, and the counts. */
export interface DecisionEvent {
  decision: Decision;
  decided_by: string;
  decided_at: string;
  decision_note?: string;
  decisions?: GateDecision[];
  approvals?: number;
  rejections?: number;
  required_approvals?: number;
}

export const approvalDocs = new TenantRepository<ApprovalDoc>("approvals");
export const linkDocs = new TenantRepository<LinkDoc>("approvals");

export const approvalId = (executionId: string, stepId: string): string =>
  `approval:${executionId}:${stepId}`;
export const linkDocId = (linkId: string): string => `link:${linkId}`;

/** The external event that wakes the execution at this gate; it carries nothing the execution trusts. */
export const decisionEventName = (stepId: string): string => `approval:${stepId}`;

export const requiredOf = (doc: ApprovalDoc): number => doc.required_approvals ?? 1;
export const decisionsOf = (doc: ApprovalDoc): GateDecision[] => doc.decisions ?? [];
export const countOf = (doc: ApprovalDoc, decision: Decision): number =>
  decisionsOf(doc).filter((entry) => entry.decision === decision).length;

/** "1 of 2 approved": what the page, the inbox and the audit show. */
export const progressOf = (doc: ApprovalDoc): string =>
  `${countOf(doc, "approve")} of ${requiredOf(doc)} approved`;

export const decisionOf = (doc: ApprovalDoc): DecisionEvent | null =>
  doc.status === "pending"
    ? null
    : {
        decision: doc.status === "approved" ? "approve" : "reject",
        decided_by: doc.decided_by!,
        decided_at: doc.decided_at!,
        ...(doc.decision_note ? { decision_note: doc.decision_note } : {}),
        decisions: decisionsOf(doc),
        approvals: countOf(doc, "approve"),
        rejections: countOf(doc, "reject"),
        required_approvals: requiredOf(doc),
      };

/** Whether this approver already decided (as this identity, or as the same Hub user by any channel). */
export const hasDecided = (doc: ApprovalDoc, identity: string, userId?: string): boolean =>
  decisionsOf(doc).some(
    (entry) => entry.decided_by === identity || (userId !== undefined && entry.user_id === userId),
  );

/** Recomputes the inbox's query fields after any change of approvers or decisions. */
export function withIndexFields(doc: ApprovalDoc): ApprovalDoc {
  const decided = decisionsOf(doc)
    .map((entry) => entry.user_id)
    .filter((id): id is string => Boolean(id));
  const blocked = doc.requested_by && !doc.allow_self_approval ? [doc.requested_by] : [];
  const excluded = [...new Set([...decided, ...blocked])];
  const deciders = doc.recipients
    .filter((recipient) => recipient.may_decide !== false && recipient.user_id)
    .map((recipient) => recipient.user_id!)
    .filter((id) => !excluded.includes(id));
  return { ...doc, deciders: [...new Set(deciders)], excluded_user_ids: excluded };
}
