// The list's continuation token: how many system agents were served, then the store's own token, bound to the org.
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "../errors";

export interface ListPosition {
  /** System agents already served (they come first, in catalogue order). */
  system: number;
  /** The store's continuation for the org's own agents; null before the first page of them. */
  store: string | null;
}

const tokenSchema = z.strictObject({
  v: z.literal(1),
  o: z.string().max(32),
  s: z.number().int().min(0).max(10_000),
  c: z.string().max(4096).nullable(),
});

/** A token of one org is refused in another (it would only page through that org's own partition anyway). */
const orgTag = (orgId: string): string => createHash("sha256").update(orgId).digest("base64url").slice(0, 12);

export function encodeContinuation(orgId: string, position: ListPosition): string {
  const token = { v: 1, o: orgTag(orgId), s: position.system, c: position.store };
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

export function decodeContinuation(orgId: string, token: string | undefined): ListPosition {
  if (token === undefined) return { system: 0, store: null };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  const parsed = tokenSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.o !== orgTag(orgId)) {
    throw new AppError("request.invalid", "The continuation token is not valid.", {
      errors: [{ path: "query.continuation", message: "Invalid continuation token" }],
    });
  }
  return { system: parsed.data.s, store: parsed.data.c };
}
