// What a retry and a redrive share (docs/executions.md): the execution they start again, checked against today's rules.
import { randomUUID } from "node:crypto";
import { currentRuleIssues } from "../agents/current-rules";
import type { Principal } from "../auth/principal";
import { AppError } from "../errors";
import type { ExecutionDoc } from "./model";
import { getExecution } from "./read-service";

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

/** A fresh execution id whose prefix says how it started (`ex_retry_…`, `ex_redrive_…`). */
export const followUpExecutionId = (kind: "retry" | "redrive") =>
  `ex_${kind}_${randomUUID().replace(/-/g, "")}`;
