// A user's TOTP factor (docs/auth.md, "Second factor"): one document per user in the org's partition.
import type { OperationInput } from "@azure/cosmos";
import { TenantRepository } from "../store/repository";
import type { WithEtag } from "../store/repository";

/** A type, not an interface, so a factor is a plain JSON body for the store's batch operations. */
export type RecoveryCodeRecord = {
  /** HMAC-SHA-256 of the normalised code (shared/mfa/recovery-codes.ts); the code itself is never stored. */
  hash: string;
  used_at?: string;
};

export type TotpFactorDoc = {
  id: string;
  org_id: string;
  type: "mfa_totp";
  user_id: string;
  /** `pending` from enrolment until a first code confirms it; only an `active` factor is asked for at sign-in. */
  status: "pending" | "active";
  /** The secret, sealed (shared/mfa/secret-box.ts): returned once at enrolment, never again. */
  sealed_secret: string;
  /** The last time step a code was accepted for: no code of that step or an earlier one counts again. */
  last_used_step?: number;
  recovery_codes: RecoveryCodeRecord[];
  created_at: string;
  confirmed_at?: string;
};

export const factorDocId = (userId: string): string => `mfa_totp:${userId}`;

const factors = new TenantRepository<TotpFactorDoc>("identity");

export async function readFactor(orgId: string, userId: string): Promise<WithEtag<TotpFactorDoc> | null> {
  const doc = await factors.read(orgId, factorDocId(userId));
  return doc?.type === "mfa_totp" ? doc : null;
}

export async function readActiveFactor(
  orgId: string,
  userId: string,
): Promise<WithEtag<TotpFactorDoc> | null> {
  const doc = await readFactor(orgId, userId);
  return doc?.status === "active" ? doc : null;
}

export async function writePendingFactor(doc: TotpFactorDoc): Promise<void> {
  await factors.upsert(doc);
}

/** The batch operation that writes a changed factor only if nobody changed it since it was read. */
export function replaceFactorOperation(
  current: WithEtag<TotpFactorDoc>,
  next: TotpFactorDoc,
): OperationInput {
  return { operationType: "Replace", id: next.id, resourceBody: { ...next }, ifMatch: current._etag };
}

export function withoutEtag(doc: WithEtag<TotpFactorDoc>): TotpFactorDoc {
  const { _etag, ...stored } = doc;
  void _etag;
  return stored;
}
