// How deep and how large an event's `data` may be (docs/events.md): checked without recursion, stopping at the bound.

/** Deeper data has no business meaning and makes every later JSON walk (stores, replays, templates) a risk. */
export const MAX_DATA_DEPTH = 32;
/**
 * Roughly the JSON size of `data`, in characters: what one Service Bus message can carry (shared/bus/limits.ts), so
 * an envelope from any publisher is held to the same size as one sent through POST /api/events.
 */
export const MAX_DATA_SIZE = 256 * 1024;

/** Why `data` exceeds a bound, or null. Walks at most MAX_DATA_SIZE values, whatever the input. */
export function dataBoundsProblem(data: unknown): string | null {
  const pending: { value: unknown; depth: number }[] = [{ value: data, depth: 0 }];
  let size = 0;
  while (pending.length > 0) {
    const { value, depth } = pending.pop()!;
    if (depth > MAX_DATA_DEPTH) return `data must be nested at most ${MAX_DATA_DEPTH} levels deep`;
    if (typeof value === "string") size += value.length + 2;
    else if (value === null || typeof value !== "object") size += String(value).length;
    else if (Array.isArray(value)) {
      size += 2 + value.length;
      if (size <= MAX_DATA_SIZE) for (const item of value) pending.push({ value: item, depth: depth + 1 });
    } else {
      size += 2;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        size += key.length + 4;
        if (size > MAX_DATA_SIZE) break;
        pending.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
      }
    }
    if (size > MAX_DATA_SIZE) return `data must be at most ${MAX_DATA_SIZE} characters of JSON`;
  }
  return null;
}
