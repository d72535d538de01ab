// The agent document (docs/agents.md): what a client may send, what is stored, and the save-time rules that need no I/O.
import { onceValid } from "./refine";
import { z } from "zod";
import { conditionSchema, conditionsOf } from "./conditions";
import { eventTypePatternSchema } from "./event-type";
import type { Step } from "./steps";
import { stepSchema } from "./steps";
import { inspectTemplates } from "./templates";

export const AGENT_STATUSES = ["active", "paused"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];
export const CONFLICT_BEHAVIORS = ["run_alongside", "override_system"] as const;
export const MAX_STEPS = 50;

export const triggerSchema = z.strictObject({
  event_type: eventTypePatternSchema,
  filter: z.array(conditionSchema("data")).max(20).optional(),
});

/** Fields the server owns: tolerated in a body (so a GET can be PUT back) and ignored. */
const serverOwned = {
  id: z.unknown().optional(),
  org_id: z.unknown().optional(),
  is_system: z.unknown().optional(),
  created_at: z.unknown().optional(),
  created_by: z.unknown().optional(),
  updated_at: z.unknown().optional(),
  version: z.unknown().optional(),
};

/** The body of POST /api/agents and PUT /api/agents/{id}. */
export const agentInputSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(2000).default(""),
    status: z.enum(AGENT_STATUSES).default("active"),
    trigger: triggerSchema,
    steps: z.array(stepSchema).min(1).max(MAX_STEPS),
    conflict_behavior: z.enum(CONFLICT_BEHAVIORS).default("run_alongside"),
    overrides: z.array(z.string().min(1).max(128)).min(1).max(50).optional(),
    ...serverOwned,
  })
  .superRefine((agent, ctx) => {
    checkStepIds(agent.steps, ctx);
    checkContextReferences(agent.steps, ctx);
    if (agent.overrides && agent.conflict_behavior !== "override_system")
      ctx.addIssue({
        code: "custom",
        path: ["overrides"],
        message: "overrides needs conflict_behavior 'override_system'",
      });
  }, onceValid)
  .transform(
    ({
      id: _i,
      org_id: _o,
      is_system: _s,
      created_at: _c,
      created_by: _b,
      updated_at: _u,
      version: _v,
      ...rest
    }) => rest,
  );

export type AgentDefinition = z.output<typeof agentInputSchema>;
export type AgentInput = z.input<typeof agentInputSchema>;

/** An agent as the API serves it (the reference's `Agent`): the definition plus what the server owns. */
export const agentSchema = z
  .object({
    id: z.string(),
    org_id: z.string().describe('"system" for the system agents'),
    name: z.string(),
    description: z.string(),
    status: z.enum(AGENT_STATUSES),
    trigger: triggerSchema,
    steps: z.array(stepSchema),
    conflict_behavior: z.enum(CONFLICT_BEHAVIORS),
    overrides: z.array(z.string()).optional(),
    is_system: z.boolean(),
    created_at: z.string(),
    created_by: z.string(),
    updated_at: z.string(),
    version: z.number().int(),
  })
  .meta({ id: "Agent" });

/** An agent as stored and served: its definition plus what the server owns. */
export interface Agent extends AgentDefinition {
  id: string;
  org_id: string;
  is_system: boolean;
  created_at: string;
  created_by: string;
  updated_at: string;
  version: number;
}

function checkStepIds(steps: Step[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  const savedAs = new Set<string>();
  steps.forEach((step, index) => {
    if (seen.has(step.id))
      ctx.addIssue({
        code: "custom",
        path: ["steps", index, "id"],
        message: `duplicate step id '${step.id}'`,
      });
    seen.add(step.id);
    if (step.type === "product_action" && step.save_as) {
      if (savedAs.has(step.save_as))
        ctx.addIssue({
          code: "custom",
          path: ["steps", index, "save_as"],
          message: `'${step.save_as}' is already saved by an earlier step`,
        });
      savedAs.add(step.save_as);
    }
  });
}

/** Every string of a step that may hold templates, with its path inside the step. */
function templatedFields(step: Step): { path: PropertyKey[]; text: string }[] {
  switch (step.type) {
    case "product_action":
      return Object.entries(step.params).flatMap(([name, value]) => {
        if (typeof value === "string") return [{ path: ["params", name], text: value }];
        if (!Array.isArray(value)) return [];
        return value.flatMap((item, i) =>
          typeof item === "string" ? [{ path: ["params", name, i], text: item }] : [],
        );
      });
    case "notification":
      return [
        ...step.to.map((text, i) => ({ path: ["to", i], text })),
        ...(step.subject ? [{ path: ["subject"], text: step.subject }] : []),
        { path: ["message"], text: step.message },
      ];
    case "approval_gate":
      return [{ path: ["message"], text: step.message }];
    case "delay":
      return [];
  }
}

/**
 * `context.x` exists only once an earlier step saved `x` (`save_as`), so a reference to anything else
 * can never resolve: refuse it at save time rather than render an empty value at run time.
 */
function checkContextReferences(steps: Step[], ctx: z.RefinementCtx): void {
  const available = new Set<string>();
  steps.forEach((step, index) => {
    const check = (reference: string, path: PropertyKey[]) => {
      const [root, name] = reference.split(".");
      if (root === "context" && name !== undefined && !available.has(name))
        ctx.addIssue({
          code: "custom",
          path: ["steps", index, ...path],
          message: `context.${name} is not saved by an earlier step (save_as)`,
        });
    };
    if (step.when) {
      const when = step.when;
      const base = "all" in when ? ["when", "all"] : "any" in when ? ["when", "any"] : ["when"];
      conditionsOf(when).forEach((condition, i) =>
        check(condition.path, base.length > 1 ? [...base, i, "path"] : ["when", "path"]),
      );
    }
    for (const field of templatedFields(step))
      for (const reference of inspectTemplates(field.text).paths) check(reference, field.path);
    if (step.type === "product_action" && step.save_as) available.add(step.save_as);
  });
}
