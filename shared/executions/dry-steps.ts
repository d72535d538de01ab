// Dry runs (docs/executions.md, "Dry runs"): what a notification, a gate and a delay would do, as step traces. Pure.
import type { ApprovalGateStep, DelayStep } from "../agents/steps";
import { renderString } from "../agents/templates";
import { notificationProblem } from "../notify/addresses";
import type { ExecutionStatus, StepTrace } from "./model";

type Scope = { trigger: unknown; context: Record<string, unknown> };
type StepResult = { trace: StepTrace; outcome?: ExecutionStatus };

/** Who resolves a dry run's gates, as the audit names them. */
export const DRY_RUN_DECIDER = "system:dry_run";

const instant = (at: string) => ({ started_at: at, completed_at: at, duration_ms: 0, credits_used: 0 });

/** The messages a notification step would send, one per recipient, exactly as rendered for a live run. */
export function dryNotification(
  stepId: string,
  inputs: { channel: "email" | "sms"; to: string[]; subject?: string; message: string },
  at: string,
): StepResult {
  // The check a live run makes before sending anything, so a dry run fails where the live one would.
  const problem = notificationProblem(inputs);
  if (problem)
    return {
      trace: {
        step_id: stepId,
        type: "notification",
        status: "failed",
        inputs,
        outputs: null,
        ...instant(at),
        reason: `nothing sent: ${problem}`,
      },
      outcome: "failed",
    };
  const messages = inputs.to.map((to) => ({
    channel: inputs.channel,
    to,
    ...(inputs.channel === "email" && inputs.subject !== undefined ? { subject: inputs.subject } : {}),
    text: inputs.message,
  }));
  return {
    trace: {
      step_id: stepId,
      type: "notification",
      status: "succeeded",
      inputs,
      outputs: { would_send: messages },
      ...instant(at),
    },
  };
}

/** A gate asks nobody in a dry run: it resolves at once as `assume` says. */
export function dryGate(
  step: ApprovalGateStep,
  scope: Scope,
  assume: "approve" | "reject",
  at: string,
): StepResult {
  const approved = assume === "approve";
  const message = String(renderString(step.message, scope));
  return {
    trace: {
      step_id: step.id,
      type: step.type,
      status: approved ? "succeeded" : "rejected",
      inputs: { approvers: step.approvers, message, timeout_seconds: step.timeout_seconds },
      outputs: { would_ask: step.approvers, message, assumed: assume },
      ...instant(at),
      decided_by: DRY_RUN_DECIDER,
      decided_at: at,
      outcome: approved ? "approved" : "rejected",
      ...(approved ? {} : { reason: `rejected by ${DRY_RUN_DECIDER} (assume: reject)` }),
    },
    outcome: approved ? undefined : "rejected",
  };
}

/** A delay does not wait in a dry run. */
export function dryDelay(step: DelayStep, at: string): StepResult {
  return {
    trace: {
      step_id: step.id,
      type: step.type,
      status: "succeeded",
      inputs: { seconds: step.seconds },
      outputs: { would_wait_seconds: step.seconds },
      ...instant(at),
    },
  };
}
