// Starting an execution: its audit document first (so the API shows it at once), then the Durable instance.
import type * as df from "durable-functions";
import type { Agent } from "../agents/schema";
import { now } from "../clock";
import type { CloudEvent } from "../events/cloud-event";
import type { Logger } from "../log";
import type { BudgetInput } from "./budget";
import { reserveCredits } from "./budget";
import type { BudgetReservation, ExecutionInput } from "./contract";
import { ORCHESTRATION } from "./contract";
import type { ExecutionDoc, StepTrace } from "./model";
import { executionDocs, pendingTraces } from "./model";

/** Dry runs are kept a week (docs/executions.md, "Dry runs"); lists also leave out older ones. */
export const DRY_RUN_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface StartRequest {
  executionId: string;
  orgId: string;
  agent: Agent;
  event: CloudEvent<unknown>;
  retryOf?: string;
  /** Dry runs: the mode and how their gates resolve. */
  mode?: "dry_run";
  assume?: "approve" | "reject";
  /** Redrives: the failed execution, its traces kept for the steps before `resume.from_step`. */
  redriveOf?: string;
  resume?: { from_step: number; context: Record<string, unknown>; carried: StepTrace[] };
}

export type StartedStatus = "running" | "skipped_budget";

/** The execution's audit document as it starts: running, every step pending (or carried over by a redrive). */
export function auditDocument(request: StartRequest): ExecutionDoc {
  const steps = pendingTraces(request.agent);
  request.resume?.carried.forEach((trace, index) => (steps[index] = trace));
  return {
    id: request.executionId,
    org_id: request.orgId,
    kind: "execution",
    execution_id: request.executionId,
    agent_id: request.agent.id,
    actor: {
      type: "agent",
      agent_id: request.agent.id,
      agent_name: request.agent.name,
      agent_version: request.agent.version,
    },
    trigger_event: request.event,
    agent_snapshot: request.agent,
    steps,
    context: request.resume?.context ?? {},
    credits_used: 0,
    status: "running",
    created_at: now().toISOString(),
    completed_at: null,
    ...(request.retryOf ? { retry_of: request.retryOf } : {}),
    ...(request.redriveOf ? { redrive_of: request.redriveOf } : {}),
    ...(request.mode
      ? { mode: request.mode, assume: request.assume ?? "approve", ttl: DRY_RUN_TTL_SECONDS }
      : {}),
  };
}

/** True when Durable already knows the instance (running or finished). */
export async function instanceExists(client: df.DurableClient, instanceId: string): Promise<boolean> {
  try {
    const status = await client.getStatus(instanceId);
    return Boolean(status?.runtimeStatus);
  } catch (error) {
    if (error instanceof Error && /\b404\b/.test(error.message)) return false;
    throw error;
  }
}

/** At the month's cap: the execution is recorded, every step skipped, and nothing runs. */
async function recordSkippedForBudget(request: StartRequest): Promise<void> {
  const at = now().toISOString();
  const reason = "the org's monthly credit budget is used up (docs/executions.md, Credit budgets)";
  await executionDocs.patch(request.orgId, request.executionId, [
    { op: "set", path: "/status", value: "skipped_budget" },
    { op: "set", path: "/completed_at", value: at },
    {
      op: "set",
      path: "/steps",
      value: pendingTraces(request.agent).map((trace) => ({
        ...trace,
        status: "skipped",
        started_at: at,
        completed_at: at,
        duration_ms: 0,
        reason,
      })),
    },
  ]);
}

/**
 * Idempotent: a second call for the same execution id writes nothing and starts nothing. `fresh` says the caller
 * just wrote the audit document for a new claim, so there is nothing to write or look up first. A live execution
 * first reserves its credits from the org's budget, if it has one (`budget` when the caller holds it, else it is
 * read); at the cap it is recorded `skipped_budget`.
 */
export async function startExecution(
  client: df.DurableClient,
  request: StartRequest,
  log: Logger,
  { fresh = false, budget: knownBudget }: { fresh?: boolean; budget?: BudgetInput | null } = {},
): Promise<StartedStatus> {
  if (!fresh) {
    const created = await executionDocs.createIfAbsent(auditDocument(request));
    if (!created) {
      const existing = await executionDocs.read(request.orgId, request.executionId);
      if (existing?.status === "skipped_budget") return "skipped_budget";
    }
    if (await instanceExists(client, request.executionId)) return "running";
  }
  let budget: BudgetReservation | undefined;
  if (!request.mode) {
    const admission = await reserveCredits(request.orgId, request.agent, knownBudget);
    if (!admission.admitted) {
      await recordSkippedForBudget(request);
      log.info("execution skipped: monthly credit budget reached", {
        execution_id: request.executionId,
        agent_id: request.agent.id,
      });
      return "skipped_budget";
    }
    budget = admission.reservation;
    if (budget)
      await executionDocs.patch(request.orgId, request.executionId, [
        { op: "set", path: "/budget_reservation", value: budget },
      ]);
  }
  const input: ExecutionInput = {
    execution_id: request.executionId,
    org_id: request.orgId,
    agent: request.agent,
    trigger_event: request.event,
    ...(request.mode ? { mode: request.mode, assume: request.assume ?? "approve" } : {}),
    ...(request.resume
      ? { resume: { from_step: request.resume.from_step, context: request.resume.context } }
      : {}),
    ...(budget ? { budget } : {}),
  };
  try {
    await client.startNew(ORCHESTRATION, { instanceId: request.executionId, input });
  } catch (error) {
    // Two deliveries raced to start the same instance; the loser finds it started.
    if (!(await instanceExists(client, request.executionId))) throw error;
  }
  log.info("execution started", {
    execution_id: request.executionId,
    agent_id: request.agent.id,
    event_id: request.event.id,
    ...(request.mode ? { mode: request.mode } : {}),
  });
  return "running";
}
