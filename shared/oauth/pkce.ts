// PKCE with S256 only (RFC 7636): the verifier's SHA-256, base64url, must equal the challenge of the authorization.
import { createHash, timingSafeEqual } from "node:crypto";

/** RFC 7636 §4.1: 43–128 unreserved characters (a challenge has the same alphabet, and is 43 long for S256). */
export const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

export function pkceMatches(verifier: string | undefined, challenge: string): boolean {
  if (verifier === undefined || !PKCE_VALUE.test(verifier)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier, "ascii").digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
