// The approval_gate step: open the gate, then wait — reminding and escalating on durable timers — until the record is decided.
import type * as df from "durable-functions";
import type { ApprovalGateStep } from "../agents/steps";
import { renderString } from "../agents/templates";
import type { FollowUpOutput } from "../approvals/follow-up";
import type { OpenGateInput, OpenGateOutput } from "../approvals/open-gate";
import type { DecisionEvent } from "../approvals/model";
import { approvalId, decisionEventName } from "../approvals/model";
import { requesterOf } from "../approvals/requester";
import type { ExecutionInput } from "./contract";
import { ACTIVITY } from "./contract";
import { creditsFor } from "./credits";
import { gateMoments } from "./gate-schedule";
import type { ExecutionStatus, StepTrace } from "./model";

type Scope = { trigger: unknown; context: Record<string, unknown> };
type GateRef = { org_id: string; approval_id: string };

/** What the gate did while it waited, for the audit log. */
interface FollowUps {
  reminders: { round: number; at: string; approvers: string[] }[];
  escalation?: { at: string; added: string[] };
}

function triggerSummary(input: ExecutionInput): OpenGateInput["trigger_summary"] {
  const event = input.trigger_event;
  return { type: event.type, subject: event.subject, time: event.time, source: event.source };
}

/**
 * Waits until the approval record is decided. An external event only wakes the execution: it then reads the
 * record, and a bare event (one nobody recorded) decides nothing. Reminders and the escalation run on durable
 * timers computed from the gate's opening time, so a replay takes the same path; the deadline closes the gate.
 *
 * Every yield happens while a wake-up task is pending, or is followed by a read of the record: an event that
 * arrives while an activity runs is therefore never missed.
 */
function* awaitDecision(
  context: df.OrchestrationContext,
  step: ApprovalGateStep,
  openedAtMs: number,
  gate: GateRef,
  followUps: FollowUps,
  onEscalated: (output: FollowUpOutput) => Generator<df.Task, void, unknown>,
): Generator<df.Task, DecisionEvent, unknown> {
  const eventName = decisionEventName(step.id);
  const moments = gateMoments(step, openedAtMs);
  let next = 0;
  let wake = context.df.waitForExternalEvent(eventName);
  for (;;) {
    if (wake.isCompleted || wake.isFaulted) {
      wake = context.df.waitForExternalEvent(eventName);
      const read = context.df.callActivity(ACTIVITY.readGate, gate);
      yield context.df.Task.any([read, wake]);
      const decided = (read.isCompleted ? read.result : yield read) as DecisionEvent | null;
      if (decided) return decided;
      continue;
    }
    const moment = moments[next]!;
    const timer = context.df.createTimer(new Date(moment.at));
    const winner = yield context.df.Task.any([wake, timer]);
    if (winner === wake) {
      timer.cancel();
      continue;
    }
    next++;
    if (moment.kind === "deadline")
      return (yield context.df.callActivity(ACTIVITY.closeGate, gate)) as DecisionEvent;
    const at = context.df.currentUtcDateTime.toISOString();
    if (moment.kind === "reminder") {
      const output = (yield context.df.callActivity(ACTIVITY.remindApprovers, {
        ...gate,
        round: moment.round,
      })) as FollowUpOutput;
      if (output.decided) return output.decided;
      followUps.reminders.push({ round: moment.round, at, approvers: output.approvers });
    } else {
      const output = (yield context.df.callActivity(ACTIVITY.escalateGate, {
        ...gate,
        approvers: step.escalation!.approvers,
      })) as FollowUpOutput;
      if (output.decided) return output.decided;
      followUps.escalation = { at, added: output.approvers };
      yield* onEscalated(output);
    }
  }
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
    required_approvals: step.required_approvals ?? 1,
    allow_self_approval: step.allow_self_approval ?? false,
    ...(step.reminders ? { reminders: step.reminders } : {}),
    ...(step.escalation ? { escalation: step.escalation } : {}),
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
    required_approvals: inputs.required_approvals,
    allow_self_approval: inputs.allow_self_approval,
    requested_by: requesterOf(input.trigger_event),
    escalates: step.escalation !== undefined,
  } satisfies OpenGateInput)) as OpenGateOutput;

  const base = {
    step_id: step.id,
    type: step.type,
    inputs,
    started_at: startedAt.toISOString(),
    credits_used: 0,
  };
  if (opened.insufficient) {
    const at = context.df.currentUtcDateTime.toISOString();
    return {
      trace: {
        ...base,
        status: "failed",
        outputs: opened,
        completed_at: at,
        duration_ms: Math.max(0, Date.parse(at) - startedAt.getTime()),
        reason: `approval gate cannot be decided: ${opened.insufficient}`,
      },
      outcome: "failed",
    };
  }
  const waiting = (outputs: unknown): StepTrace => ({
    ...base,
    status: "waiting_for_approval",
    outputs,
    completed_at: null,
    duration_ms: null,
  });
  yield* recordWaiting(waiting(opened));

  const followUps: FollowUps = { reminders: [] };
  let approvers = opened.recipients;
  const decision = yield* awaitDecision(
    context,
    step,
    startedAt.getTime(),
    { org_id: input.org_id, approval_id: approvalId(input.execution_id, step.id) },
    followUps,
    function* (escalated) {
      approvers = escalated.recipients ?? approvers;
      yield* recordWaiting(waiting({ ...opened, recipients: approvers, ...followUps }));
    },
  );

  const completedAt = context.df.currentUtcDateTime.toISOString();
  const approved = decision.decision === "approve";
  return {
    trace: {
      ...base,
      status: approved ? "succeeded" : "rejected",
      outputs: { ...opened, recipients: approvers, ...followUps, decision: decision.decision },
      credits_used: creditsFor("approval_gate"),
      completed_at: completedAt,
      duration_ms: Math.max(0, Date.parse(completedAt) - startedAt.getTime()),
      decided_by: decision.decided_by,
      decided_at: decision.decided_at,
      ...(decision.decision_note ? { decision_note: decision.decision_note } : {}),
      outcome: approved ? "approved" : "rejected",
      decisions: decision.decisions ?? [],
      approvals: decision.approvals ?? 0,
      rejections: decision.rejections ?? 0,
      required_approvals: decision.required_approvals ?? inputs.required_approvals,
      ...(approved ? {} : { reason: `rejected by ${decision.decided_by}` }),
    },
    outcome: approved ? undefined : "rejected",
  };
}
