// Checks a second-factor proof against a user's factor (docs/auth.md): a TOTP code once per step, or an unused recovery code.
import { timingSafeEqual } from "node:crypto";
import { nowMs } from "../clock";
import type { WithEtag } from "../store/repository";
import type { TotpFactorDoc } from "./factor-store";
import { withoutEtag } from "./factor-store";
import { RECOVERY_CODE_SHAPE, normalizeRecoveryCode, recoveryCodeHash } from "./recovery-codes";
import { open } from "./secret-box";
import { matchingStep } from "./totp";

export type SecondFactorProof = { code: string } | { recovery_code: string };

/** What a sealed secret is bound to: a box copied onto another user's factor does not open. */
export const secretContext = (factor: Pick<TotpFactorDoc, "org_id" | "user_id">): string =>
  `${factor.org_id}:${factor.user_id}`;

export function factorSecret(
  factor: Pick<TotpFactorDoc, "org_id" | "user_id" | "sealed_secret">,
): Buffer | null {
  return open(factor.sealed_secret, secretContext(factor));
}

/** A code's step, after the factor's last used one; null for a wrong code or a replay. */
export function acceptedStep(factor: TotpFactorDoc, code: string): number | null {
  const secret = factorSecret(factor);
  return secret ? matchingStep(secret, code, nowMs(), factor.last_used_step) : null;
}

const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The factor as it must be stored once the proof is accepted (the step or the recovery code used up), or null
 * when the proof is wrong. The caller writes it under the factor's ETag, so two uses of one proof cannot both win.
 */
export function acceptProof(factor: WithEtag<TotpFactorDoc>, proof: SecondFactorProof): TotpFactorDoc | null {
  const stored = withoutEtag(factor);
  if ("code" in proof) {
    const step = acceptedStep(factor, proof.code);
    return step === null ? null : { ...stored, last_used_step: step };
  }
  const normalized = normalizeRecoveryCode(proof.recovery_code);
  if (!RECOVERY_CODE_SHAPE.test(normalized)) return null;
  const hash = recoveryCodeHash(factor.user_id, normalized);
  const index = factor.recovery_codes.findIndex((record) => !record.used_at && sameHash(record.hash, hash));
  if (index < 0) return null;
  const recovery_codes = factor.recovery_codes.map((record, at) =>
    at === index ? { ...record, used_at: new Date(nowMs()).toISOString() } : record,
  );
  return { ...stored, recovery_codes };
}
