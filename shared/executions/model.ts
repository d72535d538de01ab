// The execution audit log (docs/executions.md): one document per execution, written only by the execution itself.
import type { Agent } from "../agents/schema";
import type { GateDecision } from "../approvals/model";
import type { CloudEvent } from "../events/cloud-event";
import type { StoredDoc } from "../store/repository";
import { TenantRepository } from "../store/repository";

export const EXECUTION_STATUSES = [
  "running",
  "waiting_for_approval",
  "succeeded",
  "failed",
  "rejected",
  "cancelled",
  "deduplicated",
  "skipped_budget",
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const STEP_STATUSES = [
  "pending",
  "running",
  "waiting_for_approval",
  "succeeded",
  "failed",
  "rejected",
  "skipped",
  "cancelled",
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface StepTrace {
  step_id: string;
  type: string;
  status: StepStatus;
  /** The step's inputs after templates were rendered. */
  inputs: Record<string, unknown>;
  outputs: unknown;
  credits_used: number;
  started_at: string | null;
  completed_at: string | null;
  duration_ms: number | null;
  /** Why a step failed or was skipped. */
  reason?: string;
  /** The accumulated variables once this step was done. */
  context_after?: Record<string, unknown>;
  /** Redrives: the execution in which this step ran (it is not run again). */
  carried_from?: string;
  /** Approval gates: who settled the gate (the last approval needed, a rejection, or `system:timeout`), and when. */
  decided_by?: string;
  decided_at?: string;
  decision_note?: string;
  /** Approval gates: the outcome, every person's decision (docs/approvals.md), and the counts. */
  outcome?: "approved" | "rejected";
  decisions?: GateDecision[];
  approvals?: number;
  rejections?: number;
  required_approvals?: number;
}

/** Who acted: always the agent, never the user whose event triggered it. */
export interface ExecutionActor {
  type: "agent";
  agent_id: string;
  agent_name: string;
  agent_version: number;
}

export interface ExecutionDoc extends StoredDoc {
  kind: "execution";
  execution_id: string;
  agent_id: string;
  actor: ExecutionActor;
  trigger_event: CloudEvent<unknown>;
  /** The agent as it ran (a retry runs the same definition again). */
  agent_snapshot: Agent;
  steps: StepTrace[];
  context: Record<string, unknown>;
  credits_used: number;
  status: ExecutionStatus;
  created_at: string;
  completed_at: string | null;
  retry_of?: string;
  /** A redrive: the failed execution it resumes (docs/executions.md, "Redrive"). */
  redrive_of?: string;
  /** Absent on live executions; dry runs are listed only with `?mode=dry_run` and kept 7 days. */
  mode?: "dry_run";
  /** Dry runs: how every approval gate resolved. */
  assume?: "approve" | "reject";
  cancelled_by?: string;
  cancelled_at?: string;
  cancel_reason?: string;
  /** Credits held back from the org's monthly budget while the execution runs (docs/executions.md). */
  budget_reservation?: { month: string; credits: number };
  /** Set once the reservation has been settled against what the execution really cost. */
  budget_settled?: boolean;
  /** Set on deduplicated entries: the execution that already handled this agent and event. */
  duplicate_of?: string;
  error?: string;
}

export const executionDocs = new TenantRepository<ExecutionDoc>("executions");

/** Every step of the agent, listed (pending) from the start, so the audit shows what is still to come. */
export function pendingTraces(agent: Agent): StepTrace[] {
  return agent.steps.map((step) => ({
    step_id: step.id,
    type: step.type,
    status: "pending",
    inputs: {},
    outputs: null,
    credits_used: 0,
    started_at: null,
    completed_at: null,
    duration_ms: null,
  }));
}

/** What the API shows: the audit document without storage fields. */
export function publicExecution(doc: ExecutionDoc): Omit<ExecutionDoc, "id" | "kind" | "ttl"> {
  const { id: _id, kind: _kind, ttl: _ttl, ...rest } = doc as ExecutionDoc & Record<string, unknown>;
  for (const field of Object.keys(rest))
    if (field.startsWith("_")) delete (rest as Record<string, unknown>)[field];
  return rest;
}
