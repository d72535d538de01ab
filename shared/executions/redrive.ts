// POST /api/executions/{id}/redrive (docs/executions.md, "Redrive"): a failed execution resumed at its failed step.
import type * as df from "durable-functions";
import type { Principal } from "../auth/principal";
import { AppError } from "../errors";
import type { Logger } from "../log";
import type { StepTrace } from "./model";
import { executionToRunAgain, startFollowUp } from "./rerun";

/**
 * A new execution (`redrive_of`) that starts at the step that failed, with the context saved after the steps
 * before it, which it does not run again: their traces are carried over (credits 0, charged where they ran).
 */
export async function redriveExecution(
  principal: Principal,
  id: string,
  client: df.DurableClient,
  log: Logger,
) {
  const original = await executionToRunAgain(principal, id, ({ status, steps }) => {
    if (status !== "failed" || !steps.some((step) => step.status === "failed"))
      throw new AppError(
        "resource.conflict",
        `Execution ${id} is ${status}; only a failed execution can be redriven (retry runs it again).`,
      );
  });
  const failedAt = original.steps.findIndex((step) => step.status === "failed");
  const before = original.steps.slice(0, failedAt);
  const context = [...before].reverse().find((trace) => trace.context_after)?.context_after ?? {};
  const carried: StepTrace[] = before.map((trace) => ({
    ...trace,
    credits_used: 0,
    carried_from: trace.carried_from ?? id,
  }));
  const { executionId, status } = await startFollowUp(
    client,
    original,
    "redrive",
    { redriveOf: id, resume: { from_step: failedAt, context, carried } },
    log,
  );
  return { execution_id: executionId, redrive_of: id, from_step: original.steps[failedAt]!.step_id, status };
}
