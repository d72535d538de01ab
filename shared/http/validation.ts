// zod issues as problem+json `errors[]`, with paths written the way people read them: steps[2].approvers[0].email.
import type { z } from "zod";
import { AppError } from "../errors";
import type { FieldIssue } from "../errors";

export function formatPath(path: readonly PropertyKey[], root = ""): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === "number") return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, root);
}

export function toFieldIssues(error: z.ZodError, root: string): FieldIssue[] {
  return error.issues
    .slice(0, 50)
    .map((issue) => ({ path: formatPath(issue.path, root), message: issue.message }));
}

/** Parses a request part, or throws the 422 that names every bad field. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, part: "params" | "query" | "body"): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const root = part === "body" ? "" : part;
  throw new AppError("request.invalid", `The request ${part} is invalid.`, {
    errors: toFieldIssues(result.error, root),
  });
}
