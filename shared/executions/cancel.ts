// POST /api/executions/{id}/cancel (docs/executions.md, "Cancel"): stop a running or waiting execution for good.
import type * as df from "durable-functions";
import { approvalDocs, approvalId } from "../approvals/model";
import type { Principal } from "../auth/principal";
import { actorOf } from "../agents/views";
import { now } from "../clock";
import { AppError, isAppError } from "../errors";
import type { Logger } from "../log";
import { settleReservation } from "./budget";
import type { ExecutionDoc, StepTrace } from "./model";
import { publicExecution, executionDocs } from "./model";
import { getExecution } from "./read-service";

const CANCELLABLE = new Set(["running", "waiting_for_approval"]);
const UNFINISHED_STEP = new Set(["pending", "running", "waiting_for_approval"]);
const MAX_ATTEMPTS = 20;

const notCancellable = (doc: ExecutionDoc) =>
  new AppError(
    "resource.conflict",
    `Execution ${doc.execution_id} is ${doc.status}; only a running or waiting execution can be cancelled.`,
  );

/** Closes the execution's open gates so their links answer 410 and no decision can be recorded any more. */
async function closeOpenGates(doc: ExecutionDoc, by: string): Promise<void> {
  for (const step of doc.agent_snapshot.steps) {
    if (step.type !== "approval_gate") continue;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const gate = await approvalDocs.read(doc.org_id, approvalId(doc.execution_id, step.id));
      if (!gate || gate.status !== "pending") break;
      try {
        const at = now().toISOString();
        await approvalDocs.replace(
          { ...gate, status: "cancelled", decided_by: by, decided_at: at },
          gate._etag,
        );
        break;
      } catch (error) {
        if (!isAppError(error) || error.code !== "precondition.failed") throw error;
      }
    }
  }
}

/** The orchestration schedules nothing more once terminated; an instance that already finished is left alone. */
async function stopOrchestration(client: df.DurableClient, id: string, reason: string): Promise<void> {
  try {
    await client.terminate(id, reason);
  } catch (error) {
    // 404 (never started) or 410 (already over): the audit document below says what the execution became.
    if (!(error instanceof Error && /\b(404|410)\b/.test(error.message))) throw error;
  }
}

export async function cancelExecution(
  principal: Principal,
  id: string,
  reason: string | undefined,
  client: df.DurableClient,
  log: Logger,
) {
  const first = await getExecution(principal, id);
  if (first.status === "cancelled") return publicExecution(first);
  if (!CANCELLABLE.has(first.status)) throw notCancellable(first);
  const by = actorOf(principal);
  const why = `cancelled by ${by}${reason ? `: ${reason}` : ""}`;
  await stopOrchestration(client, id, why);
  await closeOpenGates(first, by);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await getExecution(principal, id);
    if (current.status === "cancelled") return publicExecution(current);
    // It finished while we were stopping it: what it did stands.
    if (!CANCELLABLE.has(current.status)) throw notCancellable(current);
    const at = now().toISOString();
    const steps: StepTrace[] = current.steps.map((trace) =>
      UNFINISHED_STEP.has(trace.status)
        ? {
            ...trace,
            status: "skipped",
            completed_at: at,
            duration_ms: trace.started_at ? Math.max(0, Date.parse(at) - Date.parse(trace.started_at)) : 0,
            reason: why,
          }
        : trace,
    );
    const cancelled: ExecutionDoc = {
      ...current,
      steps,
      status: "cancelled",
      completed_at: at,
      cancelled_by: by,
      cancelled_at: at,
      ...(reason ? { cancel_reason: reason } : {}),
    };
    try {
      const saved = await executionDocs.replace(cancelled, current._etag);
      if (saved.budget_reservation)
        await settleReservation(saved.org_id, id, saved.budget_reservation, saved.credits_used);
      log.info("execution cancelled", { execution_id: id, cancelled_by: by });
      return publicExecution(await getExecution(principal, id));
    } catch (error) {
      if (!isAppError(error) || error.code !== "precondition.failed") throw error;
    }
  }
  throw new AppError("store.unavailable", "The execution is busy; try again.", { retryAfter: 1 });
}
