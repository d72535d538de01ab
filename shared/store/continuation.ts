// Continuation tokens of list routes: what the next page needs (the store's own token, and any position of the
// list's), bound to the org by a digest, so a token carried to another org is refused (422) rather than misread.
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "../errors";

const orgTag = (orgId: string): string => createHash("sha256").update(orgId).digest("base64url").slice(0, 12);

const tokenSchema = z.strictObject({ o: z.string().max(32), p: z.unknown() });

export function encodeContinuation(orgId: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ o: orgTag(orgId), p: position })).toString("base64url");
}

/** The position a token of this org carries, checked against `position`; 422 `request.invalid` otherwise. */
export function decodeContinuation<T>(orgId: string, token: string, position: z.ZodType<T>): T {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  const envelope = tokenSchema.safeParse(decoded);
  const inner =
    envelope.success && envelope.data.o === orgTag(orgId) ? position.safeParse(envelope.data.p) : undefined;
  if (!inner?.success) {
    throw new AppError("request.invalid", "The continuation token is not valid.", {
      errors: [{ path: "query.continuation", message: "Invalid continuation token" }],
    });
  }
  return inner.data;
}
