// The agent execution: a deterministic walk over the agent snapshot's steps (no I/O, clock or randomness here).
import type * as df from "durable-functions";
import { whenHolds } from "../agents/conditions";
import type { Step } from "../agents/steps";
import { renderString, renderValue } from "../agents/templates";
import type {
  ExecutionInput,
  ExecutionOutcome,
  NotifyOutput,
  ProductActionOutput,
  RecordStepInput,
  RenderedProductAction,
} from "./contract";
import { ACTIVITY } from "./contract";
import { creditsFor, creditsForAction } from "./credits";
import type { ExecutionStatus, StepTrace } from "./model";
import { runApprovalGate } from "./approval-step";
import { activityFailureReason } from "./failure-reason";
import { dryDelay, dryGate, dryNotification } from "./dry-steps";

type Yielded = Generator<df.Task, unknown, unknown>;

interface Run {
  input: ExecutionInput;
  context: df.OrchestrationContext;
  scope: { trigger: unknown; context: Record<string, unknown> };
  credits: number;
  /** A dry run renders instead of acting: no product call, no message, no gate, no wait, no credits. */
  dry: boolean;
}

const nowIso = (run: Run) => run.context.df.currentUtcDateTime.toISOString();
const elapsed = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));

function* record(run: Run, trace: StepTrace, status: ExecutionStatus): Generator<df.Task, void, unknown> {
  // A step's credits_used is exactly what the ledger charges for it (docs/executions.md), whatever its status.
  run.credits += trace.credits_used;
  const payload: RecordStepInput = {
    execution_id: run.input.execution_id,
    org_id: run.input.org_id,
    agent_id: run.input.agent.id,
    step_index: run.input.agent.steps.findIndex((step) => step.id === trace.step_id),
    credits_used: run.credits,
    trace: { ...trace, context_after: { ...run.scope.context } },
    context: run.scope.context,
    status,
  };
  yield run.context.df.callActivity(ACTIVITY.recordStep, payload);
}

type StepResult = { trace: StepTrace; outcome?: ExecutionStatus };

/**
 * A step that is one activity call: its trace is `succeeded` with what `describe` makes of the activity's
 * result, or `failed` with the activity's error as the reason (and the execution stops).
 */
function* activityStep<R extends { started_at: string; completed_at: string }>(
  run: Run,
  step: Step,
  activity: string,
  inputs: Record<string, unknown>,
  describe: (result: R) => { outputs: unknown; credits_used: number },
): Generator<df.Task, StepResult, unknown> {
  const started = nowIso(run);
  const base = { step_id: step.id, type: step.type, inputs, started_at: started };
  try {
    const result = (yield run.context.df.callActivity(activity, {
      execution_id: run.input.execution_id,
      org_id: run.input.org_id,
      step_id: step.id,
      ...inputs,
    })) as R;
    return {
      trace: {
        ...base,
        status: "succeeded",
        ...describe(result),
        started_at: result.started_at,
        completed_at: result.completed_at,
        duration_ms: elapsed(result.started_at, result.completed_at),
      },
    };
  } catch (error) {
    const ended = nowIso(run);
    const reason = activityFailureReason(error);
    return {
      trace: {
        ...base,
        status: "failed",
        outputs: null,
        credits_used: 0,
        completed_at: ended,
        duration_ms: elapsed(started, ended),
        reason,
      },
      outcome: "failed",
    };
  }
}

/** Runs one step; returns its trace and, when the execution must stop, why. */
function* runStep(run: Run, step: Step): Generator<df.Task, StepResult, unknown> {
  const started = nowIso(run);
  const base = { step_id: step.id, type: step.type, started_at: started, credits_used: 0 };
  switch (step.type) {
    case "product_action": {
      const params = renderValue(step.params, run.scope) as Record<string, unknown>;
      const inputs = { product: step.product, action: step.action, params };
      if (run.dry)
        return yield* activityStep<RenderedProductAction>(
          run,
          step,
          ACTIVITY.renderProductAction,
          inputs,
          (result) => ({ outputs: { would_send: result.request }, credits_used: 0 }),
        );
      return yield* activityStep<ProductActionOutput>(run, step, ACTIVITY.productAction, inputs, (result) => {
        // Defined, not assigned: even a stored agent from before the reserved names were refused cannot reach a prototype.
        if (step.save_as)
          Object.defineProperty(run.scope.context, step.save_as, {
            value: result.body,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        return {
          outputs: { status: result.status, body: result.body, attempts: result.attempts },
          credits_used: creditsForAction(step.product, step.action),
        };
      });
    }
    case "notification": {
      const inputs = {
        channel: step.channel,
        to: step.to.map((recipient) => String(renderString(recipient, run.scope))),
        subject: step.subject === undefined ? undefined : String(renderString(step.subject, run.scope)),
        message: String(renderString(step.message, run.scope)),
      };
      if (run.dry) return dryNotification(step.id, inputs, started);
      return yield* activityStep<NotifyOutput>(run, step, ACTIVITY.notify, inputs, (result) => ({
        outputs: { sent: result.sent },
        credits_used: creditsFor("notification", result.sent.length),
      }));
    }
    case "delay": {
      if (run.dry) return dryDelay(step, started);
      const fireAt = new Date(run.context.df.currentUtcDateTime.getTime() + step.seconds * 1000);
      yield run.context.df.createTimer(fireAt);
      const ended = nowIso(run);
      return {
        trace: {
          ...base,
          status: "succeeded",
          inputs: { seconds: step.seconds },
          outputs: null,
          completed_at: ended,
          duration_ms: elapsed(started, ended),
        },
      };
    }
    case "approval_gate":
      if (run.dry) return dryGate(step, run.scope, run.input.assume ?? "approve", started);
      return yield* runApprovalGate(run.context, run.input, step, run.scope, (trace) =>
        record(run, trace, "waiting_for_approval"),
      );
  }
}

/** A step that did not run, recorded as such so the audit shows every step of the agent and why. */
function* recordSkipped(run: Run, step: Step, reason: string): Generator<df.Task, void, unknown> {
  const at = nowIso(run);
  const trace: StepTrace = {
    step_id: step.id,
    type: step.type,
    status: "skipped",
    inputs: {},
    outputs: null,
    credits_used: 0,
    started_at: at,
    completed_at: at,
    duration_ms: 0,
    reason,
  };
  yield* record(run, trace, "running");
}

export function* agentExecution(context: df.OrchestrationContext): Yielded {
  const input = context.df.getInput() as ExecutionInput;
  const run: Run = {
    input,
    context,
    scope: { trigger: input.trigger_event, context: { ...(input.resume?.context ?? {}) } },
    credits: 0,
    dry: input.mode === "dry_run",
  };
  let status: ExecutionStatus = "succeeded";
  let error: string | undefined;
  const steps = input.agent.steps;
  // A redrive starts at the step that failed; the steps before it ran in the execution it resumes.
  for (let index = input.resume?.from_step ?? 0; index < steps.length; index++) {
    const step = steps[index]!;
    if (!whenHolds(step.when, run.scope)) {
      yield* recordSkipped(run, step, "when condition did not hold");
      continue;
    }
    const { trace, outcome } = yield* runStep(run, step);
    // The execution's own status turns final only when it finishes, after every step is recorded.
    yield* record(run, trace, "running");
    if (outcome) {
      status = outcome;
      error = trace.reason;
      for (const rest of steps.slice(index + 1))
        yield* recordSkipped(run, rest, `execution ${outcome} at step ${step.id}`);
      break;
    }
  }
  yield context.df.callActivity(ACTIVITY.finish, {
    execution_id: input.execution_id,
    org_id: input.org_id,
    status,
    completed_at: nowIso(run),
    error,
    credits_used: run.credits,
    ...(input.budget ? { budget: input.budget } : {}),
  });
  const outcome: ExecutionOutcome = { status, credits_used: run.credits };
  return outcome;
}
