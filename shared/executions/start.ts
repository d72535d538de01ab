// Starting an execution: its audit document first (so the API shows it at once), then the Durable instance.
import type * as df from "durable-functions";
import type { Agent } from "../agents/schema";
import { now } from "../clock";
import type { CloudEvent } from "../events/cloud-event";
import type { Logger } from "../log";
import type { ExecutionInput } from "./contract";
import { ORCHESTRATION } from "./contract";
import type { ExecutionDoc } from "./model";
import { executionDocs, pendingTraces } from "./model";

export interface StartRequest {
  executionId: string;
  orgId: string;
  agent: Agent;
  event: CloudEvent<unknown>;
  retryOf?: string;
}

/** The execution's audit document as it starts: running, every step pending. */
export function auditDocument(request: StartRequest): ExecutionDoc {
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
    steps: pendingTraces(request.agent),
    context: {},
    credits_used: 0,
    status: "running",
    created_at: now().toISOString(),
    completed_at: null,
    ...(request.retryOf ? { retry_of: request.retryOf } : {}),
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

/**
 * Idempotent: a second call for the same execution id writes nothing and starts nothing. `fresh` says the caller
 * just wrote the audit document for a new claim, so there is nothing to write or look up first.
 */
export async function startExecution(
  client: df.DurableClient,
  request: StartRequest,
  log: Logger,
  { fresh = false }: { fresh?: boolean } = {},
): Promise<void> {
  if (!fresh) {
    await executionDocs.createIfAbsent(auditDocument(request));
    if (await instanceExists(client, request.executionId)) return;
  }
  const input: ExecutionInput = {
    execution_id: request.executionId,
    org_id: request.orgId,
    agent: request.agent,
    trigger_event: request.event,
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
  });
}
