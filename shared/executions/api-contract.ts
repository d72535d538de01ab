// Who may call the executions API, and the shapes of its path and query (docs/executions.md).
import { z } from "zod";
import type { AuthPolicy } from "../auth/principal";
import { agentInputSchema, agentSchema } from "../agents/schema";
import { DECISION_CHANNELS } from "../approvals/model";
import { cloudEventSchema } from "../events/envelope";
import { EXECUTION_STATUSES, STEP_STATUSES } from "./model";

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

const gateDecisionSchema = z
  .object({
    decision: z.enum(["approve", "reject"]),
    decided_by: z.string(),
    user_id: z.string().optional(),
    channel: z.enum(DECISION_CHANNELS),
    decided_at: z.string(),
    decision_note: z.string().optional(),
  })
  .meta({ id: "GateDecision" });

const stepTraceSchema = z
  .looseObject({
    step_id: z.string(),
    type: z.string(),
    status: z.enum(STEP_STATUSES),
    inputs: z.record(z.string(), z.unknown()).describe("The step's inputs after templates were rendered"),
    outputs: z.unknown(),
    credits_used: z.number(),
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    duration_ms: z.number().nullable(),
    reason: z.string().optional().describe("Why the step failed or was skipped"),
    context_after: z.record(z.string(), z.unknown()).optional(),
    decided_by: z.string().optional(),
    decided_at: z.string().optional(),
    decision_note: z.string().optional(),
    outcome: z.enum(["approved", "rejected"]).optional(),
    decisions: z.array(gateDecisionSchema).optional().describe("Approval gates: every person's decision"),
    approvals: z.number().int().optional(),
    rejections: z.number().int().optional(),
    required_approvals: z.number().int().optional(),
  })
  .meta({ id: "StepTrace" });

/** The audit log of one execution, as GET /api/executions/{id} serves it (docs/executions.md). */
export const executionSchema = z
  .looseObject({
    execution_id: z.string(),
    agent_id: z.string(),
    org_id: z.string(),
    actor: z.object({
      type: z.literal("agent"),
      agent_id: z.string(),
      agent_name: z.string(),
      agent_version: z.number().int(),
    }),
    trigger_event: cloudEventSchema.describe("The whole CloudEvent that triggered the execution"),
    agent_snapshot: agentSchema.describe("The agent as it ran"),
    steps: z.array(stepTraceSchema),
    context: z.record(z.string(), z.unknown()),
    credits_used: z.number(),
    status: z.enum(EXECUTION_STATUSES),
    created_at: z.string(),
    completed_at: z.string().nullable(),
    retry_of: z.string().optional(),
    duplicate_of: z.string().optional().describe("On deduplicated entries: the execution that ran"),
    error: z.string().optional(),
  })
  .meta({ id: "Execution" });

export const executionListSchema = z.object({
  items: z.array(executionSchema),
  continuation: z.string().nullable().describe("Pass as ?continuation= for the next page; null at the end"),
});

export const retryResultSchema = z.object({
  execution_id: z.string(),
  retry_of: z.string(),
  status: z.literal("running"),
});

export const usageSchema = z.looseObject({
  from: z.string(),
  to: z.string(),
  total_credits: z.number(),
  by_agent_and_day: z.array(z.object({ agent_id: z.string(), day: z.string(), credits: z.number() })),
});

/** The org's monthly credit budget and this month's standing (GET|PUT /api/agents/budget). */
export const budgetSchema = z.looseObject({
  monthly_credits: z.number().nullable(),
  alert_percent: z.number().nullable(),
  month: z.string(),
  used_credits: z.number(),
  reserved_credits: z.number(),
  remaining_credits: z.number().nullable(),
  alerted_at: z.string().nullable(),
});

/** The answer of a dry run: the execution it started in dry mode. */
export const testRunResultSchema = z.looseObject({ execution_id: z.string() });

export const cancelResultSchema = z.looseObject({ execution_id: z.string(), status: z.string() });

export const redriveResultSchema = z.object({
  execution_id: z.string(),
  redrive_of: z.string(),
  from_step: z.string(),
  status: z.string(),
});
