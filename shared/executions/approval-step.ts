// The approval_gate step: open the gate (links out), wait for a decision or the timeout, whichever comes first.
import type * as df from "durable-functions";
import type { ApprovalGateStep } from "../agents/steps";
import { renderString } from "../agents/templates";
import type { OpenGateInput, OpenGateOutput } from "../approvals/open-gate";
import type { DecisionEvent } from "../approvals/model";
import { approvalId, decisionEventName } from "../approvals/model";
import type { ExecutionInput } from "./contract";
import { ACTIVITY } from "./contract";
import { creditsFor } from "./credits";
import type { ExecutionStatus, StepTrace } from "./model";

type Scope = { trigger: unknown; context: Record<string, unknown> };

function triggerSummary(input: ExecutionInput): OpenGateInput["trigger_summary"] {
  const event = input.trigger_event;
  return { type: event.type, subject: event.subject, time: event.time, source: event.source };
}

export function* runApprovalGate(
  context: df.OrchestrationContext,
  input: ExecutionInput,
  step: ApprovalGateStep,
  scope: Scope,
  recordWaiting: (trace: StepTrace) => Generator<df.Task, void, unknown>,
): Generator<df.Task, { trace: StepTrace; outcome?: ExecutionStatus }, unknown> {
  const startedAt = context.df.currentUtcDateTime;
  const expiresAt = new Date(startedAt.getTime() + step.timeout_seconds * 1000);
  const message = String(renderString(step.message, scope));
  const inputs = {
    approvers: step.approvers,
    message,
    timeout_seconds: step.timeout_seconds,
    on_timeout: step.on_timeout,
    expires_at: expiresAt.toISOString(),
  };
  const opened = (yield context.df.callActivity(ACTIVITY.openGate, {
    org_id: input.org_id,
    execution_id: input.execution_id,
    step_id: step.id,
    agent_id: input.agent.id,
    agent_name: input.agent.name,
    message,
    approvers: step.approvers,
    expires_at: inputs.expires_at,
    on_timeout: step.on_timeout,
    trigger_summary: triggerSummary(input),
  } satisfies OpenGateInput)) as OpenGateOutput;

  const base = {
    step_id: step.id,
    type: step.type,
    inputs,
    started_at: startedAt.toISOString(),
    credits_used: 0,
  };
  yield* recordWaiting({
    ...base,
    status: "waiting_for_approval",
    outputs: opened,
    completed_at: null,
    duration_ms: null,
  });

  // Race the decision against the gate's deadline; the loser is cancelled so nothing keeps the instance alive.
  const decisionTask = context.df.waitForExternalEvent(decisionEventName(step.id));
  const deadline = context.df.createTimer(expiresAt);
  const winner = yield context.df.Task.any([decisionTask, deadline]);
  let decision: DecisionEvent;
  if (winner === decisionTask) {
    deadline.cancel();
    decision = decisionTask.result as DecisionEvent;
  } else {
    // The record decides: on_timeout, or a person's decision that landed just before the timer.
    decision = (yield context.df.callActivity(ACTIVITY.closeGate, {
      org_id: input.org_id,
      approval_id: approvalId(input.execution_id, step.id),
    })) as DecisionEvent;
  }

  const completedAt = context.df.currentUtcDateTime.toISOString();
  const approved = decision.decision === "approve";
  return {
    trace: {
      ...base,
      status: approved ? "succeeded" : "rejected",
      outputs: { ...opened, decision: decision.decision },
      credits_used: creditsFor("approval_gate"),
      completed_at: completedAt,
      duration_ms: Math.max(0, Date.parse(completedAt) - startedAt.getTime()),
      decided_by: decision.decided_by,
      decided_at: decision.decided_at,
      ...(decision.decision_note ? { decision_note: decision.decision_note } : {}),
      ...(approved ? {} : { reason: `rejected by ${decision.decided_by}` }),
    },
    outcome: approved ? undefined : "rejected",
  };
}
