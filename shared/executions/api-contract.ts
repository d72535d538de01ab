// Who may call the executions API, and the shapes of its path and query (docs/executions.md).
import { z } from "zod";
import type { AuthPolicy } from "../auth/principal";
import { agentInputSchema } from "../agents/schema";
import { EXECUTION_STATUSES } from "./model";

/** Admins and Technicians read executions; keys with executions:read. */
export const READ_EXECUTIONS: AuthPolicy = {
  audience: "agents",
  roles: ["admin", "technician"],
  scopes: ["executions:read"],
};

/** Retrying, redriving, cancelling, dry runs and budgets are an Admin's decisions, never a key's. */
export const RETRY_EXECUTIONS: AuthPolicy = { audience: "agents", roles: ["admin"] };
export const OPERATE_EXECUTIONS = RETRY_EXECUTIONS;

/** Products publish events with an events:publish key; people do not. */
export const PUBLISH_EVENTS: AuthPolicy = { audience: "agents", roles: [], scopes: ["events:publish"] };

export const executionIdParams = z.object({ id: z.string().min(1).max(128) });

export const listExecutionsQuery = z.object({
  agent_id: z.string().min(1).max(128).optional(),
  status: z.enum(EXECUTION_STATUSES).optional(),
  mode: z.enum(["live", "dry_run"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  continuation: z.string().min(1).max(4096).optional(),
});

const day = z.iso.date();
export const usageQuery = z
  .object({ from: day, to: day })
  .refine((range) => range.from <= range.to, { message: "from must not be after to", path: ["to"] })
  .refine((range) => Date.parse(range.to) - Date.parse(range.from) <= 366 * 86_400_000, {
    message: "at most 366 days at a time",
    path: ["to"],
  });

export const cancelBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).optional();

const assume = z.enum(["approve", "reject"]).default("approve");
const source = {
  event: z.record(z.string(), z.unknown()).optional(),
  execution_id: z.string().min(1).max(128).optional(),
  assume,
};
const oneSource = (value: { event?: unknown; execution_id?: unknown }) =>
  (value.event === undefined) !== (value.execution_id === undefined);
const oneSourceMessage = { message: "give exactly one of event and execution_id", path: ["event"] };

/** POST /api/agents/{id}/test-runs: a saved agent on an event, or on the trigger event of an execution. */
export const testRunBody = z.strictObject(source).refine(oneSource, oneSourceMessage);

/** POST /api/agents/test-runs: an unsaved agent, validated as creating it would be. */
export const unsavedTestRunBody = z
  .strictObject({ agent: agentInputSchema, ...source })
  .refine(oneSource, oneSourceMessage);

export const budgetBody = z.strictObject({
  monthly_credits: z.number().int().min(0).max(1_000_000_000),
  alert_percent: z.number().int().min(1).max(100).default(80),
});
