// POST /api/executions/{id}/retry: the same agent snapshot on the same event, as a new execution that skips dedup.
import type * as df from "durable-functions";
import { randomUUID } from "node:crypto";
import { AppError } from "../errors";
import type { Principal } from "../auth/principal";
import type { Logger } from "../log";
import { getExecution } from "./read-service";
import { startExecution } from "./start";

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
  const executionId = `ex_retry_${randomUUID().replace(/-/g, "")}`;
  await startExecution(
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
  return { execution_id: executionId, retry_of: id, status: "running" as const };
}
