// `{path, op, value}` conditions: trigger filters on event data and step `when` guards on trigger/context.
import { onceValid } from "./refine";
import { z } from "zod";
import { pathProblem, readPath, rootedPathProblem } from "./paths";

export const CONDITION_OPS = [
  "eq",
  "neq",
  "in",
  "not_in",
  "contains",
  "starts_with",
  "ends_with",
  "exists",
  "gt",
  "gte",
  "lt",
  "lte",
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

const scalar = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof scalar>;
const conditionValue = z.union([scalar, z.array(scalar).max(50)]);

export interface Condition {
  path: string;
  op: ConditionOp;
  value?: Scalar | Scalar[];
}

/** Which values each operator takes; a wrong one is a 422 at `…value`. */
function valueProblem(op: ConditionOp, value: unknown): string | null {
  const isList = Array.isArray(value);
  switch (op) {
    case "in":
    case "not_in":
      return isList && value.length > 0 ? null : `'${op}' takes a non-empty list`;
    case "exists":
      return value === undefined || typeof value === "boolean"
        ? null
        : "'exists' takes true, false or nothing";
    case "starts_with":
    case "ends_with":
      return typeof value === "string" ? null : `'${op}' takes a string`;
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return typeof value === "number" || typeof value === "string"
        ? null
        : `'${op}' takes a number or string`;
    default:
      return value === undefined || isList ? `'${op}' takes a single value` : null;
  }
}

/** A condition whose path is relative to event data (`filter`) or rooted at trigger/context (`when`). */
export function conditionSchema(paths: "data" | "rooted"): z.ZodType<Condition> {
  const checkPath = paths === "data" ? pathProblem : rootedPathProblem;
  return z
    .strictObject({
      path: z.string().max(256),
      op: z.enum(CONDITION_OPS),
      value: conditionValue.optional(),
    })
    .superRefine((condition, ctx) => {
      const pathIssue = checkPath(condition.path);
      if (pathIssue) ctx.addIssue({ code: "custom", path: ["path"], message: pathIssue });
      const valueIssue = valueProblem(condition.op, condition.value);
      if (valueIssue) ctx.addIssue({ code: "custom", path: ["value"], message: valueIssue });
    }, onceValid);
}

const sameScalar = (left: unknown, right: unknown): boolean => left === right;

function compare(actual: unknown, expected: unknown): number | null {
  if (typeof actual === "number" && typeof expected === "number") return actual - expected;
  if (typeof actual === "string" && typeof expected === "string")
    return actual < expected ? -1 : actual > expected ? 1 : 0;
  return null;
}

/** Whether `actual` (the value at the condition's path) satisfies it. */
export function holds(condition: Condition, actual: unknown): boolean {
  const { op, value } = condition;
  switch (op) {
    case "eq":
      return sameScalar(actual, value);
    case "neq":
      return !sameScalar(actual, value);
    case "in":
      return Array.isArray(value) && value.some((item) => sameScalar(actual, item));
    case "not_in":
      return Array.isArray(value) && !value.some((item) => sameScalar(actual, item));
    case "contains":
      if (typeof actual === "string") return typeof value === "string" && actual.includes(value);
      return Array.isArray(actual) && actual.some((item) => sameScalar(item, value));
    case "starts_with":
      return typeof actual === "string" && typeof value === "string" && actual.startsWith(value);
    case "ends_with":
      return typeof actual === "string" && typeof value === "string" && actual.endsWith(value);
    case "exists":
      return (actual !== undefined) === (value ?? true);
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const order = compare(actual, value);
      if (order === null) return false;
      return op === "gt" ? order > 0 : op === "gte" ? order >= 0 : op === "lt" ? order < 0 : order <= 0;
    }
  }
}

/** Every condition holds on `root` (an empty list holds). */
export const allHold = (conditions: readonly Condition[], root: unknown): boolean =>
  conditions.every((condition) => holds(condition, readPath(root, condition.path)));

/** A step guard: one condition, or all / any of a few. */
export type When = Condition | { all: Condition[] } | { any: Condition[] };

const rootedCondition = conditionSchema("rooted");
const conditionList = z.array(rootedCondition).min(1).max(10);

/**
 * One object with exactly one form, rather than a union, so that a mistake is reported at its own path
 * (`steps[1].when.all[0].path`) instead of as "no branch of the union matched".
 */
export const whenSchema = z
  .strictObject({
    all: conditionList.optional(),
    any: conditionList.optional(),
    path: z.string().max(256).optional(),
    op: z.enum(CONDITION_OPS).optional(),
    value: conditionValue.optional(),
  })
  .superRefine((when, ctx) => {
    const single = when.path !== undefined || when.op !== undefined || when.value !== undefined;
    const forms = [when.all !== undefined, when.any !== undefined, single].filter(Boolean).length;
    if (forms !== 1) {
      ctx.addIssue({
        code: "custom",
        message: "use exactly one of {path, op, value}, {all: [...]}, {any: [...]}",
      });
      return;
    }
    if (when.all || when.any) return;
    const parsed = rootedCondition.safeParse({ path: when.path, op: when.op, value: when.value });
    for (const issue of parsed.success ? [] : parsed.error.issues)
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  }, onceValid)
  .transform((when) => when as When);

/** Whether a step runs, given the trigger envelope and the context so far. */
export function whenHolds(when: When | undefined, scope: { trigger: unknown; context: unknown }): boolean {
  if (!when) return true;
  if ("all" in when) return allHold(when.all, scope);
  if ("any" in when) return when.any.some((condition) => allHold([condition], scope));
  return allHold([when], scope);
}

/** The conditions inside a guard, for save-time checks of the paths they read. */
export const conditionsOf = (when: When): Condition[] =>
  "all" in when ? when.all : "any" in when ? when.any : [when];
