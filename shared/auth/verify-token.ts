// Checks an access token as every product does (docs/auth.md), with jose, against Hub's own key ring.
import type { JWTPayload } from "jose";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { now, nowMs } from "../clock";
import { TOKEN_ALGORITHM, TOKEN_TYPE, issuer } from "./tokens";
import { importedKey, verificationKey } from "./signing-keys";

export const CLOCK_LEEWAY_SECONDS = 60;
const MAX_TOKEN_LENGTH = 8 * 1024;
/** Header members that would let a token name its own key; Hub's tokens never carry them. */
const FORBIDDEN_HEADERS = ["jku", "jwk", "x5u", "x5c", "crit"];

export interface AccessClaims extends JWTPayload {
  sub: string;
  jti: string;
  exp: number;
  org_id: string;
  user_id: string;
}

export class InvalidTokenError extends Error {
  override readonly name = "InvalidTokenError";
}

interface Verified {
  claims: AccessClaims;
  kid: string;
}

/**
 * Signatures already checked, by exact token text: the same bytes always verify the same way, so a warm
 * request skips the RSA operation. Everything that can change — exp/nbf against the clock, the audience the
 * route wants, whether the kid is still published — is checked again on every use.
 */
const verified = new Map<string, Verified>();
const MAX_VERIFIED = 10_000;

function audiencesOf(claims: JWTPayload): string[] {
  return typeof claims.aud === "string" ? [claims.aud] : (claims.aud ?? []);
}

/** The time and audience checks jose makes, repeated for a cached signature. */
function stillValid({ claims }: Verified, audiences: readonly string[]): boolean {
  const seconds = nowMs() / 1000;
  return (
    claims.exp + CLOCK_LEEWAY_SECONDS > seconds &&
    (claims.nbf ?? 0) - CLOCK_LEEWAY_SECONDS <= seconds &&
    audiencesOf(claims).some((aud) => audiences.includes(aud))
  );
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Exactly three segments in canonical base64url (RFC 7515 §2: no padding, and no stray bits in the last
 * character), so one token has one spelling: a variant of a valid token is not a second valid token.
 */
function isCanonicalCompact(token: string): boolean {
  const segments = token.split(".");
  return (
    segments.length === 3 &&
    segments.every(
      (segment) =>
        SEGMENT.test(segment) && Buffer.from(segment, "base64url").toString("base64url") === segment,
    )
  );
}

/** `audiences`: Hub's own (`hub`, `agents`) or, for the OAuth endpoints, a product client's. */
export async function verifyAccessToken(token: string, audiences: readonly string[]): Promise<AccessClaims> {
  if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError("too long");
  // Only canonical tokens are ever cached, so a cached one needs no second canonical check (two base64 passes).
  const cached = verified.get(token);
  if (cached) {
    if (stillValid(cached, audiences) && (await verificationKey(cached.kid))) return cached.claims;
    throw new InvalidTokenError("cached token no longer valid");
  }
  if (!isCanonicalCompact(token)) throw new InvalidTokenError("not canonical compact serialization");
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new InvalidTokenError("undecodable header");
  }
  if (header.alg !== TOKEN_ALGORITHM || header.typ !== TOKEN_TYPE || typeof header.kid !== "string")
    throw new InvalidTokenError("header");
  if (FORBIDDEN_HEADERS.some((name) => name in header)) throw new InvalidTokenError("key-bearing header");
  const key = await verificationKey(header.kid);
  if (!key) throw new InvalidTokenError("unknown kid");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, await importedKey(key, "public"), {
      algorithms: [TOKEN_ALGORITHM],
      typ: TOKEN_TYPE,
      issuer: issuer(),
      audience: [...audiences],
      clockTolerance: CLOCK_LEEWAY_SECONDS,
      currentDate: now(),
      requiredClaims: ["exp", "iat", "nbf", "jti", "sub"],
    }));
  } catch {
    throw new InvalidTokenError("jose");
  }
  if (typeof payload.org_id !== "string" || payload.user_id !== payload.sub)
    throw new InvalidTokenError("claims");
  const claims = payload as AccessClaims;
  if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!);
  verified.set(token, { claims, kid: header.kid });
  return claims;
}
