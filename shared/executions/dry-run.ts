// Dry runs (docs/executions.md, "Dry runs"): the same orchestration in dry mode, on a given event or a past execution's.
import type * as df from "durable-functions";
import { randomUUID } from "node:crypto";
import { getAgent } from "../agents/read-service";
import type { Agent, AgentDefinition } from "../agents/schema";
import { checkOrgRules } from "../agents/write-service";
import { actorOf } from "../agents/views";
import type { Principal } from "../auth/principal";
import { now } from "../clock";
import type { CloudEvent } from "../events/cloud-event";
import { inboundEnvelopeSchema } from "../events/inbound";
import type { Logger } from "../log";
import { AppError } from "../errors";
import { toFieldIssues } from "../http/validation";
import { publicExecution } from "./model";
import { getExecution } from "./read-service";
import { startExecution } from "./start";

export interface TestRunSource {
  event?: Record<string, unknown>;
  execution_id?: string;
  assume: "approve" | "reject";
}

/** An event given by hand needs only `type` and `data`; the rest is filled in, and the org is always the caller's. */
const handEvent = inboundEnvelopeSchema.partial({
  specversion: true,
  id: true,
  source: true,
  time: true,
  orgid: true,
});

async function triggerEventOf(principal: Principal, source: TestRunSource): Promise<CloudEvent<unknown>> {
  if (source.execution_id) return (await getExecution(principal, source.execution_id)).trigger_event;
  const parsed = handEvent.safeParse(source.event);
  if (!parsed.success)
    throw new AppError("request.invalid", "The event is invalid.", {
      errors: toFieldIssues(parsed.error, "event"),
    });
  const given = parsed.data;
  return {
    ...given,
    specversion: "1.0",
    id: given.id ?? `test-${randomUUID()}`,
    source: given.source ?? "/agents/test-runs",
    time: given.time ?? now().toISOString(),
    datacontenttype: "application/json",
    orgid: principal.org_id,
  };
}

/** How long the request waits for the dry run to finish (it never waits on people or timers, so it is quick). */
const WAIT_MS = 10_000;

async function runDry(
  principal: Principal,
  agent: Agent,
  source: TestRunSource,
  client: df.DurableClient,
  log: Logger,
) {
  const event = await triggerEventOf(principal, source);
  const executionId = `ex_dry_${randomUUID().replace(/-/g, "")}`;
  await startExecution(
    client,
    { executionId, orgId: principal.org_id, agent, event, mode: "dry_run", assume: source.assume },
    log,
  );
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const execution = await getExecution(principal, executionId);
    if (execution.status !== "running" || Date.now() > deadline) return publicExecution(execution);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** POST /api/agents/{id}/test-runs */
export async function testRunSavedAgent(
  principal: Principal,
  agentId: string,
  source: TestRunSource,
  client: df.DurableClient,
  log: Logger,
) {
  const { agent } = await getAgent(principal, agentId);
  return runDry(principal, agent, source, client, log);
}

/** POST /api/agents/test-runs: an agent that is not saved, checked as creating it would be. */
export async function testRunUnsavedAgent(
  principal: Principal,
  definition: AgentDefinition,
  source: TestRunSource,
  client: df.DurableClient,
  log: Logger,
) {
  await checkOrgRules(principal.org_id, definition);
  const at = now().toISOString();
  const agent: Agent = {
    ...definition,
    id: `unsaved-${randomUUID()}`,
    org_id: principal.org_id,
    is_system: false,
    created_at: at,
    created_by: actorOf(principal),
    updated_at: at,
    version: 0,
  };
  return runDry(principal, agent, source, client, log);
}
