// Recovery codes (docs/auth.md, "Second factor"): 10 single-use codes, shown once, stored as keyed hashes.
import { createHmac, randomInt } from "node:crypto";
import { derivedKey } from "./secret-box";
import type { RecoveryCodeRecord } from "./factor-store";

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** `xxxxx-xxxxx` from 31 unambiguous characters (no 0/o, 1/l/i): about 50 bits, easy to read off paper. */
export function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** The form compared: lower case, separators and spaces dropped, so `ABCDE FGHJK` matches `abcde-fghjk`. */
export const normalizeRecoveryCode = (code: string): string => code.toLowerCase().replace(/[\s-]/g, "");
export const RECOVERY_CODE_SHAPE = /^[a-z0-9]{10}$/;

/** Keyed and bound to the user, so a copy of the database cannot be searched for codes offline. */
export const recoveryCodeHash = (userId: string, code: string): string =>
  createHmac("sha256", derivedKey("hub recovery code v1"))
    .update(`${userId}:${normalizeRecoveryCode(code)}`)
    .digest("base64url");

export function newRecoveryCodes(userId: string): { codes: string[]; records: RecoveryCodeRecord[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return { codes, records: codes.map((code) => ({ hash: recoveryCodeHash(userId, code) })) };
}
