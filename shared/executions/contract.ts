// What the orchestration, its activities and its starters pass to each other (all JSON, all replay-safe).
import type { Agent } from "../agents/schema";
import type { CloudEvent } from "../events/cloud-event";
import type { ExecutionStatus, StepTrace } from "./model";

export const ORCHESTRATION = "agentExecution";

export const ACTIVITY = {
  productAction: "agentProductAction",
  notify: "agentNotify",
  recordStep: "agentRecordStep",
  finish: "agentFinishExecution",
  openGate: "agentOpenApprovalGate",
  closeGate: "agentCloseApprovalGate",
  readGate: "agentReadApprovalGate",
  remindApprovers: "agentRemindApprovers",
  escalateGate: "agentEscalateApprovalGate",
} as const;

export interface ExecutionInput {
  execution_id: string;
  org_id: string;
  /** The agent as it was when the event arrived: later edits do not change a running execution. */
  agent: Agent;
  trigger_event: CloudEvent<unknown>;
}

export interface ProductActionInput {
  execution_id: string;
  org_id: string;
  step_id: string;
  product: string;
  action: string;
  params: Record<string, unknown>;
}

export interface ProductActionOutput {
  status: number;
  body: unknown;
  attempts: number;
  started_at: string;
  completed_at: string;
}

export interface NotifyInput {
  execution_id: string;
  org_id: string;
  step_id: string;
  channel: "email" | "sms";
  to: string[];
  subject?: string;
  message: string;
}

export interface NotifyOutput {
  sent: { to: string; id: string }[];
  started_at: string;
  completed_at: string;
}

export interface RecordStepInput {
  execution_id: string;
  org_id: string;
  agent_id: string;
  /** The step's position in the agent (and in the audit's pre-listed steps). */
  step_index: number;
  trace: StepTrace;
  /** The execution's credits so far, this step included. */
  credits_used: number;
  context: Record<string, unknown>;
  /** The execution's status once this step is recorded. */
  status: ExecutionStatus;
}

export interface FinishInput {
  execution_id: string;
  org_id: string;
  status: ExecutionStatus;
  completed_at: string;
  error?: string;
}

export interface ExecutionOutcome {
  status: ExecutionStatus;
  credits_used: number;
}
