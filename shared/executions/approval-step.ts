// The approval_gate step. Approval gates arrive with their own issue; until then an execution that reaches one
// fails with a clear reason instead of silently skipping it (and high-impact actions after it never run).
import type * as df from "durable-functions";
import type { ApprovalGateStep } from "../agents/steps";
import type { ExecutionStatus, StepTrace } from "./model";

export function runApprovalGate(
  context: df.OrchestrationContext,
  step: ApprovalGateStep,
): { trace: StepTrace; outcome?: ExecutionStatus } {
  const at = context.df.currentUtcDateTime.toISOString();
  return {
    trace: {
      step_id: step.id,
      type: step.type,
      status: "failed",
      inputs: {
        approvers: step.approvers,
        timeout_seconds: step.timeout_seconds,
        on_timeout: step.on_timeout,
      },
      outputs: null,
      credits_used: 0,
      started_at: at,
      completed_at: at,
      duration_ms: 0,
      reason: "approval gates are not supported yet",
    },
    outcome: "failed",
  };
}
