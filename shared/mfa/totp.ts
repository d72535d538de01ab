// RFC 6238 time-based one-time passwords (docs/auth.md, "Second factor"): HMAC-SHA-1, 6 digits, 30-second steps.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Steps either side of now that still count: a phone's clock a little off, a code typed as it rolls over. */
export const TOTP_WINDOW = 1;
/** 160 bits, the key length RFC 4226 recommends for HMAC-SHA-1. */
const SECRET_BYTES = 20;

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export const newTotpSecret = (): Buffer => randomBytes(SECRET_BYTES);

/** RFC 4648 base32 without padding: what authenticator apps read from an `otpauth://` URI. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export const stepAt = (unixMs: number): number => Math.floor(unixMs / 1000 / TOTP_PERIOD_SECONDS);

/** HOTP (RFC 4226 §5.3) of one counter value: dynamic truncation of HMAC-SHA-1, `digits` decimal digits. */
export function hotp(secret: Buffer, counter: number, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

export const CODE_PATTERN = /^[0-9]{6}$/;

/**
 * The step a presented code belongs to, within the window around `unixMs` and after `lastUsedStep` (a step already
 * used never counts again, so a code seen over a shoulder cannot be replayed), or null.
 */
export function matchingStep(
  secret: Buffer,
  code: string,
  unixMs: number,
  lastUsedStep: number | undefined,
): number | null {
  if (!CODE_PATTERN.test(code)) return null;
  const now = stepAt(unixMs);
  let matched: number | null = null;
  // Every candidate is computed and compared in constant time, so timing tells nothing about which one matched.
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
    const expected = hotp(secret, step);
    const equal = timingSafeEqual(Buffer.from(expected), Buffer.from(code));
    if (equal && matched === null && (lastUsedStep === undefined || step > lastUsedStep)) matched = step;
  }
  return matched;
}
