// Approval gates as stored: one record per gate (the single source of its decision) and one per decision link.
import type { StoredDoc } from "../store/repository";
import { TenantRepository } from "../store/repository";

export type Decision = "approve" | "reject";

export interface Recipient {
  /** Who decided, as the audit names them: `email:…`, `phone:…`, or the Hub user id. */
  identity: string;
  channel: "email" | "sms";
  address: string;
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
  expires_at: string;
  on_timeout: Decision;
  status: "pending" | "approved" | "rejected";
  decided_by?: string;
  decided_at?: string;
  decision_note?: string;
  decided_via?: "link" | "api" | "timeout";
  created_at: string;
}

export interface LinkDoc extends StoredDoc {
  kind: "approval_link";
  approval_id: string;
  execution_id: string;
  step_id: string;
  recipient: string;
}

export interface DecisionEvent {
  decision: Decision;
  decided_by: string;
  decided_at: string;
  decision_note?: string;
}

export const approvalDocs = new TenantRepository<ApprovalDoc>("approvals");
export const linkDocs = new TenantRepository<LinkDoc>("approvals");

export const approvalId = (executionId: string, stepId: string): string =>
  `approval:${executionId}:${stepId}`;
export const linkDocId = (linkId: string): string => `link:${linkId}`;

/** The external event the execution waits for at this gate. */
export const decisionEventName = (stepId: string): string => `approval:${stepId}`;

export const decisionOf = (doc: ApprovalDoc): DecisionEvent | null =>
  doc.status === "pending"
    ? null
    : {
        decision: doc.status === "approved" ? "approve" : "reject",
        decided_by: doc.decided_by!,
        decided_at: doc.decided_at!,
        decision_note: doc.decision_note,
      };
