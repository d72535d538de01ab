// POST /api/executions/{id}/retry: the same agent snapshot on the same event, as a new execution that skips dedup.
import type * as df from "durable-functions";
import { randomUUID } from "node:crypto";
import { currentRuleIssues } from "../agents/current-rules";
import type { Agent } from "../agents/schema";
import { AppError } from "../errors";
import type { Principal } from "../auth/principal";
import type { Logger } from "../log";
import { getExecution } from "./read-service";
import { startExecution } from "./start";

/**
 * A retry or a redrive runs an old snapshot today, so it must pass the org's rules of today: the agent still
 * exists, the org still holds its products, and a high-impact action is still enabled and gated (422 with every
 * reason otherwise; shared/agents/current-rules.ts).
 */
export async function checkAgainstCurrentRules(orgId: string, snapshot: Agent): Promise<void> {
  const issues = await currentRuleIssues(orgId, snapshot);
  if (issues.length > 0)
    throw new AppError(
      "request.invalid",
      "The organization's rules of today do not allow this agent to run again.",
      {
        errors: issues,
      },
    );
}

export async function retryExecution(
  principal: Principal,
  id: string,
  client: df.DurableClient,
  log: Logger,
) {
  const original = await getExecution(principal, id);
  if (original.status === "deduplicated") {
    throw new AppError(
      "resource.conflict",
      `Execution ${id} was suppressed as a duplicate; retry ${original.duplicate_of} instead.`,
    );
  }
  if (original.mode === "dry_run")
    throw new AppError("resource.conflict", `Execution ${id} is a dry run; start another test run instead.`);
  await checkAgainstCurrentRules(principal.org_id, original.agent_snapshot);
  const executionId = `ex_retry_${randomUUID().replace(/-/g, "")}`;
  const status = await startExecution(
    client,
    {
      executionId,
      orgId: principal.org_id,
      agent: original.agent_snapshot,
      event: original.trigger_event,
      retryOf: id,
    },
    log,
  );
  return { execution_id: executionId, retry_of: id, status };
}
