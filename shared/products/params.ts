// Param specs of catalogue actions, and the zod schemas derived from them (templates allowed at save time, not at run time).
import { z } from "zod";
import { isWholeTemplate } from "../agents/templates";
import type { ProductAction } from "./catalogue";

export type ParamSpec =
  | { type: "string"; required?: boolean; max: number }
  | { type: "enum"; required?: boolean; values: readonly [string, ...string[]] }
  | { type: "boolean"; required?: boolean }
  | { type: "integer"; required?: boolean; min: number; max: number }
  | { type: "string_list"; required?: boolean; max: number };

function valueSchema(spec: ParamSpec): z.ZodType {
  switch (spec.type) {
    case "string":
      return z.string().min(1).max(spec.max);
    case "enum":
      return z.enum(spec.values);
    case "boolean":
      return z.boolean();
    case "integer":
      return z.number().int().min(spec.min).max(spec.max);
    case "string_list":
      return z.array(z.string().min(1).max(500)).max(spec.max);
  }
}

/** A typed param may instead be one whole template (`"{{context.count}}"`), checked once rendered. */
function orWholeTemplate(schema: z.ZodType): z.ZodType {
  return z.unknown().superRefine((value, ctx) => {
    if (typeof value === "string" && isWholeTemplate(value)) return;
    const result = schema.safeParse(value);
    for (const issue of result.success ? [] : result.error.issues)
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  });
}

function objectSchema(action: ProductAction, templated: boolean): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(action.params)) {
    const base = valueSchema(spec);
    const value = templated && spec.type !== "string" ? orWholeTemplate(base) : base;
    shape[name] = spec.required ? value : value.optional();
  }
  return z.strictObject(shape) as unknown as z.ZodType<Record<string, unknown>>;
}

const cache = new Map<string, z.ZodType<Record<string, unknown>>>();

function cached(action: ProductAction, templated: boolean) {
  const key = `${action.product}.${action.action}:${templated}`;
  let schema = cache.get(key);
  if (!schema) cache.set(key, (schema = objectSchema(action, templated)));
  return schema;
}

/** The params an agent definition may hold for this action (strings may contain templates). */
export const definitionParamsSchema = (action: ProductAction) => cached(action, true);

/** The params the product receives, after templates are rendered (the executions use this). */
export const resolvedParamsSchema = (action: ProductAction) => cached(action, false);

/** A catalogue path segment that is a whole `{name}` placeholder: the param's name, else null. */
function placeholder(segment: string): string | null {
  return segment.length > 2 && segment.startsWith("{") && segment.endsWith("}") ? segment.slice(1, -1) : null;
}

/**
 * A path segment that would change which route is called: empty (`/tickets//notes`) or a dot segment, which
 * URL parsing resolves (`/tickets/../assignee` is `/assignee`); encodeURIComponent leaves dots as they are.
 */
const isUnsafeSegment = (value: string): boolean => value === "" || value === "." || value === "..";

/** The request a rendered action makes: `{name}` path segments filled (URL-encoded), the other params as the body. */
export function productRequest(
  action: ProductAction,
  params: Record<string, unknown>,
): { method: ProductAction["method"]; path: string; body: Record<string, unknown> } {
  const inPath = new Set<string>();
  const path = action.path
    .split("/")
    .map((segment) => {
      const name = placeholder(segment);
      if (name === null) return segment;
      inPath.add(name);
      const value = String(params[name] ?? "");
      if (isUnsafeSegment(value))
        throw new Error(`invalid params after templating: params.${name}: must not be empty, '.' or '..'`);
      return encodeURIComponent(value);
    })
    .join("/");
  const body = Object.fromEntries(Object.entries(params).filter(([name]) => !inPath.has(name)));
  return { method: action.method, path, body };
}
