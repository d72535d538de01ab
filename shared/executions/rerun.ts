// What a retry and a redrive share (docs/executions.md): the execution they start again, checked against today's rules.
import type * as df from "durable-functions";
import { randomUUID } from "node:crypto";
import { currentRuleIssues } from "../agents/current-rules";
import type { Principal } from "../auth/principal";
import { AppError } from "../errors";
import type { Logger } from "../log";
import type { ExecutionDoc } from "./model";
import { getExecution } from "./read-service";
import type { StartRequest } from "./start";
import { startExecution } from "./start";

/**
 * The caller's execution, if it may run again: `refuseByStatus` throws the caller's own 409 first; a dry run never does (another test run is the way), and an old
 * snapshot must pass the org's rules of today: the agent still exists, the org still holds its products, and a
 * high-impact action is still enabled and gated (422 with every reason otherwise; shared/agents/current-rules.ts).
 */
export async function executionToRunAgain(
  principal: Principal,
  id: string,
  refuseByStatus: (original: ExecutionDoc) => void,
): Promise<ExecutionDoc> {
  const original = await getExecution(principal, id);
  if (original.mode === "dry_run")
    throw new AppError("resource.conflict", `Execution ${id} is a dry run; start another test run instead.`);
  refuseByStatus(original);
  const issues = await currentRuleIssues(principal.org_id, original.agent_snapshot);
  if (issues.length > 0)
    throw new AppError(
      "request.invalid",
      "The organization's rules of today do not allow this agent to run again.",
      {
        errors: issues,
      },
    );
  return original;
}

/**
 * Starts the follow-up: the original's agent snapshot on its trigger event, under a fresh id whose prefix says how
 * it started (`ex_retry_…`, `ex_redrive_…`); `link` names the original (retryOf, or redriveOf and where to resume).
 */
export async function startFollowUp(
  client: df.DurableClient,
  original: ExecutionDoc,
  kind: "retry" | "redrive",
  link: Pick<StartRequest, "retryOf" | "redriveOf" | "resume">,
  log: Logger,
) {
  const executionId = `ex_${kind}_${randomUUID().replace(/-/g, "")}`;
  const request = {
    executionId,
    orgId: original.org_id,
    agent: original.agent_snapshot,
    event: original.trigger_event,
    ...link,
  };
  return { executionId, status: await startExecution(client, request, log) };
}
