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
  renderProductAction: "agentRenderProductAction",
} as const;

/** `live` acts; `dry_run` renders what it would do (docs/executions.md, "Dry runs"). */
export type ExecutionMode = "live" | "dry_run";

/** What a month's credit budget holds back for one execution until it finishes (docs/executions.md, "Credit budgets"). */
export interface BudgetReservation {
  month: string;
  credits: number;
}

export interface ExecutionInput {
  execution_id: string;
  org_id: string;
  /** The agent as it was when the event arrived: later edits do not change a running execution. */
  agent: Agent;
  trigger_event: CloudEvent<unknown>;
  /** Absent means live: the mode travels with each execution, never in a global. */
  mode?: ExecutionMode;
  /** Dry runs: how every approval gate resolves. */
  assume?: "approve" | "reject";
  /** Redrives: the step to start at and the context saved after the last step that succeeded. */
  resume?: { from_step: number; context: Record<string, unknown> };
  /** Set when the org has a budget: released with the actual credits when the execution finishes. */
  budget?: BudgetReservation;
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
  credits_used?: number;
  budget?: BudgetReservation;
}

/** A dry run's product step: the request that would have been sent, secrets left out. */
export interface WouldBeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface RenderedProductAction {
  request: WouldBeRequest;
  started_at: string;
  completed_at: string;
}

export interface ExecutionOutcome {
  status: ExecutionStatus;
  credits_used: number;
}
