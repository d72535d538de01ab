// POST /api/executions/{id}/retry: the same agent snapshot on the same event, as a new execution that skips dedup.
import type * as df from "durable-functions";
import type { Principal } from "../auth/principal";
import { AppError } from "../errors";
import type { Logger } from "../log";
import { executionToRunAgain, startFollowUp } from "./rerun";

export async function retryExecution(
  principal: Principal,
  id: string,
  client: df.DurableClient,
  log: Logger,
) {
  const original = await executionToRunAgain(principal, id, ({ status, duplicate_of }) => {
    if (status === "deduplicated")
      throw new AppError(
        "resource.conflict",
        `Execution ${id} was suppressed as a duplicate; retry ${duplicate_of} instead.`,
      );
  });
  const { executionId, status } = await startFollowUp(client, original, "retry", { retryOf: id }, log);
  return { execution_id: executionId, retry_of: id, status };
}
