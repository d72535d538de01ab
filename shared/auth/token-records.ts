// One record per issued access token (by jti) in the org's partition: who holds it, and whether it was revoked.
import { nowMs } from "../clock";
import { TenantRepository } from "../store/repository";

export interface TokenRecordDoc {
  id: string;
  org_id: string;
  type: "token";
  jti: string;
  user_id: string;
  audience: string;
  /** The session the token was exchanged or granted from (a password change keeps that session's tokens). */
  session_doc_id?: string;
  /** Absent on records written before it was added; those count as issued before any cutoff. */
  issued_at_ms?: number;
  expires_at_ms: number;
  revoked_at_ms?: number;
  revoked_by?: string;
  /** Kept a little past expiry (tokens are checked with 60 s leeway), then Cosmos may drop it. */
  ttl: number;
}

const records = new TenantRepository<TokenRecordDoc>("identity");
export const tokenRecordId = (jti: string): string => `token:${jti}`;

export async function recordIssuedToken(
  orgId: string,
  fields: {
    jti: string;
    user_id: string;
    audience: string;
    session_doc_id?: string;
    issued_at_ms: number;
    expires_at_ms: number;
  },
): Promise<void> {
  await records.upsert({
    id: tokenRecordId(fields.jti),
    org_id: orgId,
    type: "token",
    ...fields,
    ttl: Math.ceil((fields.expires_at_ms - nowMs()) / 1000) + 3600,
  });
}

export async function readTokenRecord(orgId: string, jti: string): Promise<TokenRecordDoc | null> {
  const doc = await records.read(orgId, tokenRecordId(jti));
  return doc?.type === "token" ? doc : null;
}

/** Marks the token revoked; false when the org has no such token. */
export async function markRevoked(orgId: string, jti: string, revokedBy: string): Promise<boolean> {
  const doc = await records.patch(orgId, tokenRecordId(jti), [
    { op: "set", path: "/revoked_at_ms", value: nowMs() },
    { op: "set", path: "/revoked_by", value: revokedBy },
  ]);
  return doc !== null;
}
