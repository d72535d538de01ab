// The agents list's position: how many system agents were served, then the store's own token (an org-bound
// continuation token: shared/store/continuation.ts).
import { z } from "zod";
import { decodeContinuation, encodeContinuation } from "../store/continuation";

export interface ListPosition {
  /** System agents already served (they come first, in catalogue order). */
  system: number;
  /** The store's continuation for the org's own agents; null before the first page of them. */
  store: string | null;
}

const positionSchema = z.strictObject({
  s: z.number().int().min(0).max(10_000),
  c: z.string().max(4096).nullable(),
});

export function encodeListPosition(orgId: string, position: ListPosition): string {
  return encodeContinuation(orgId, { s: position.system, c: position.store });
}

export function decodeListPosition(orgId: string, token: string | undefined): ListPosition {
  if (token === undefined) return { system: 0, store: null };
  const { s, c } = decodeContinuation(orgId, token, positionSchema);
  return { system: s, store: c };
}
