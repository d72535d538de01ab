// Dotted paths into event data and execution context ("trigger.data.user.email"), read safely: own properties only.

/** A segment is a plain name or an array index; prototype-reaching names are never valid. */
const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

/** Names that reach an object's prototype machinery: never a path segment, never a context variable. */
export const isReservedName = (name: string): boolean => FORBIDDEN.has(name);
export const MAX_PATH_LENGTH = 256;
export const MAX_PATH_SEGMENTS = 12;

/** Why a path is not valid, or null when it is. */
export function pathProblem(path: string): string | null {
  if (path.length === 0 || path.length > MAX_PATH_LENGTH) return `must be 1–${MAX_PATH_LENGTH} characters`;
  const segments = path.split(".");
  if (segments.length > MAX_PATH_SEGMENTS) return `must have at most ${MAX_PATH_SEGMENTS} segments`;
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) return "segments are letters, digits, '_' or '-', separated by dots";
    if (FORBIDDEN.has(segment)) return `'${segment}' is not allowed in a path`;
  }
  return null;
}

/** Where a rooted path (for `when` and templates) may start. */
export const PATH_ROOTS = ["trigger", "context"] as const;
export type PathRoot = (typeof PATH_ROOTS)[number];

/** The parts of the trigger envelope a path may read. */
export const TRIGGER_FIELDS = new Set(["id", "type", "source", "subject", "time", "orgid", "data"]);

/** Why a `trigger.…`/`context.…` path is not valid, or null. */
export function rootedPathProblem(path: string): string | null {
  const problem = pathProblem(path);
  if (problem) return problem;
  const [root, first] = path.split(".");
  if (root !== "trigger" && root !== "context") return "must start with 'trigger.' or 'context.'";
  if (first === undefined) return `must name a field after '${root}.'`;
  if (root === "trigger" && !TRIGGER_FIELDS.has(first))
    return `trigger fields are ${[...TRIGGER_FIELDS].join(", ")}`;
  return null;
}

/** The value at a dotted path, or undefined; never reads inherited properties. */
export function readPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const segment of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    if (FORBIDDEN.has(segment) || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
