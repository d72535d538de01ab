// Reading executions and usage, always inside the caller's org (another org's execution is simply not found).
import { AppError } from "../errors";
import type { Principal } from "../auth/principal";
import type { Page, WithEtag } from "../store/repository";
import { nowMs } from "../clock";
import { ledger } from "./credits";
import { DRY_RUN_TTL_SECONDS } from "./start";
import type { ExecutionDoc, ExecutionStatus } from "./model";
import { executionDocs, publicExecution } from "./model";

export const executionNotFound = (): AppError => new AppError("resource.not_found", "No such execution.");

export async function getExecution(principal: Principal, id: string): Promise<WithEtag<ExecutionDoc>> {
  const doc = await executionDocs.read(principal.org_id, id);
  if (!doc || doc.kind !== "execution") throw executionNotFound();
  if (doc.mode === "dry_run" && Date.parse(doc.created_at) < nowMs() - DRY_RUN_TTL_SECONDS * 1000)
    throw executionNotFound();
  return doc;
}

export async function listExecutions(
  principal: Principal,
  filter: {
    agent_id?: string;
    status?: ExecutionStatus;
    mode?: "live" | "dry_run";
    limit: number;
    continuation?: string;
  },
): Promise<{ items: ReturnType<typeof publicExecution>[]; continuation: string | null }> {
  const clauses = ["c.org_id = @org_id", "c.kind = 'execution'"];
  const parameters: { name: string; value: string }[] = [];
  if (filter.agent_id) {
    clauses.push("c.agent_id = @agent_id");
    parameters.push({ name: "@agent_id", value: filter.agent_id });
  }
  // Dry runs are their own list, and a dry run older than its 7 days is gone even before TTL removes it.
  if (filter.mode === "dry_run") {
    clauses.push("c.mode = 'dry_run'", "c.created_at >= @dry_since");
    parameters.push({
      name: "@dry_since",
      value: new Date(nowMs() - DRY_RUN_TTL_SECONDS * 1000).toISOString(),
    });
  } else clauses.push("NOT IS_DEFINED(c.mode)");
  if (filter.status) {
    clauses.push("c.status = @status");
    parameters.push({ name: "@status", value: filter.status });
  }
  const page: Page<ExecutionDoc> = await executionDocs.query(
    principal.org_id,
    { query: `SELECT * FROM c WHERE ${clauses.join(" AND ")} ORDER BY c.created_at DESC`, parameters },
    { limit: filter.limit, continuation: filter.continuation },
  );
  return { items: page.items.map(publicExecution), continuation: page.continuation };
}

interface UsageRow {
  agent_id: string;
  day: string;
  credits: number;
}

/** Credits charged between two days (inclusive), by agent and day, from the ledger. */
export async function usageBetween(principal: Principal, from: string, to: string) {
  const totals = new Map<string, UsageRow>();
  let continuation: string | undefined;
  do {
    const page = await ledger.query<UsageRow>(
      principal.org_id,
      {
        query:
          "SELECT c.agent_id, c.day, c.credits FROM c WHERE c.org_id = @org_id AND c.kind = 'charge' AND c.day >= @from AND c.day <= @to",
        parameters: [
          { name: "@from", value: from },
          { name: "@to", value: to },
        ],
      },
      { limit: 1000, continuation },
    );
    for (const row of page.items) {
      const key = `${row.agent_id}\n${row.day}`;
      const total = totals.get(key) ?? { agent_id: row.agent_id, day: row.day, credits: 0 };
      total.credits += row.credits;
      totals.set(key, total);
    }
    continuation = page.continuation ?? undefined;
  } while (continuation);
  const byAgentAndDay = [...totals.values()].sort(
    (a, b) => a.day.localeCompare(b.day) || a.agent_id.localeCompare(b.agent_id),
  );
  return {
    from,
    to,
    total_credits: byAgentAndDay.reduce((sum, row) => sum + row.credits, 0),
    by_agent_and_day: byAgentAndDay,
  };
}
