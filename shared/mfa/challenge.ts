// The sign-in challenge between a right password and the second factor (docs/auth.md): 5 minutes, single use, one user.
import type { OperationInput } from "@azure/cosmos";
import { nowMs } from "../clock";
import { AppError } from "../errors";
import type { UserDoc } from "../identity/model";
import { newOpaque, parseOpaque } from "../oauth/opaque";
import { TenantRepository } from "../store/repository";
import type { WithEtag } from "../store/repository";

export const CHALLENGE_TTL_SECONDS = 5 * 60;

export interface ChallengeDoc {
  id: string;
  org_id: string;
  type: "mfa_challenge";
  user_id: string;
  expires_at_ms: number;
  used_at_ms?: number;
  ttl: number;
}

const challenges = new TenantRepository<ChallengeDoc>("identity");
const KIND = "mfa_challenge";

/** An opaque `<org id>.<256-bit random>` (stored by digest): whoever holds it proved the password, nothing more. */
export async function createChallenge(user: UserDoc): Promise<string> {
  const { value, docId } = newOpaque(KIND, user.org_id);
  await challenges.upsert({
    id: docId,
    org_id: user.org_id,
    type: "mfa_challenge",
    user_id: user.user_id,
    expires_at_ms: nowMs() + CHALLENGE_TTL_SECONDS * 1000,
    ttl: CHALLENGE_TTL_SECONDS + 3600,
  });
  return value;
}

export const challengeGone = () =>
  new AppError(
    "resource.gone",
    "The sign-in challenge has expired or was used: sign in again with your password.",
  );

/** The live challenge a value names; 410 for a malformed (without I/O), unknown, expired or used one. */
export async function liveChallenge(value: string): Promise<WithEtag<ChallengeDoc>> {
  const parsed = parseOpaque(KIND, value);
  if (!parsed) throw challengeGone();
  const doc = await challenges.read(parsed.orgId, parsed.docId);
  if (doc?.type !== "mfa_challenge" || doc.used_at_ms !== undefined || doc.expires_at_ms <= nowMs())
    throw challengeGone();
  return doc;
}

/** Marks the challenge used in the sign-in's batch; the ETag makes a second, racing use fail the whole batch. */
export function consumeChallengeOperation(doc: WithEtag<ChallengeDoc>): OperationInput {
  const { _etag, ...stored } = doc;
  return {
    operationType: "Replace",
    id: doc.id,
    resourceBody: { ...stored, used_at_ms: nowMs() },
    ifMatch: _etag,
  };
}
