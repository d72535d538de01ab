// RFC 6238 TOTP: the RFC's own test vectors, the ±1 step window, replay refusal, and codes from otpauth as an app makes them.
import * as OTPAuth from "otpauth";
import { describe, expect, it } from "vitest";
import { base32Encode, hotp, matchingStep, stepAt } from "../../../shared/mfa/totp";

// RFC 6238 Appendix B, SHA-1: the ASCII seed "12345678901234567890", 8 digits, 30-second steps.
const RFC_SEED = Buffer.from("12345678901234567890", "ascii");
const RFC_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP (RFC 6238)", () => {
  it.each(RFC_VECTORS)("at %i s the SHA-1 code is %s", (seconds, expected) => {
    expect(hotp(RFC_SEED, stepAt(seconds * 1000), 8)).toBe(expected);
  });

  it("encodes base32 as RFC 4648 does (no padding)", () => {
    expect(base32Encode(Buffer.from("foobar"))).toBe("MZXW6YTBOI");
    expect(base32Encode(Buffer.from("f"))).toBe("MY");
  });

  it("accepts an authenticator app's code (otpauth) for the step before, now and after, and no further", () => {
    const secret = Buffer.from("3132333435363738393031323334353637383930", "hex");
    const app = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromHex(secret.toString("hex")),
      digits: 6,
      period: 30,
    });
    const now = Date.UTC(2026, 0, 1, 12, 0, 15);
    const codeAt = (ms: number) => app.generate({ timestamp: ms });
    const current = stepAt(now);
    expect(matchingStep(secret, codeAt(now), now, undefined)).toBe(current);
    expect(matchingStep(secret, codeAt(now - 30_000), now, undefined)).toBe(current - 1);
    expect(matchingStep(secret, codeAt(now + 30_000), now, undefined)).toBe(current + 1);
    expect(matchingStep(secret, codeAt(now - 60_000), now, undefined)).toBeNull();
    expect(matchingStep(secret, codeAt(now + 60_000), now, undefined)).toBeNull();
  });

  it("refuses a code of a step already used, or of an earlier one", () => {
    const secret = Buffer.alloc(20, 7);
    const app = new OTPAuth.TOTP({ secret: new OTPAuth.Secret({ buffer: new Uint8Array(secret).buffer }) });
    const now = Date.UTC(2026, 5, 1, 8, 30, 0);
    const step = stepAt(now);
    expect(matchingStep(secret, app.generate({ timestamp: now }), now, step)).toBeNull();
    expect(matchingStep(secret, app.generate({ timestamp: now - 30_000 }), now, step)).toBeNull();
    expect(matchingStep(secret, app.generate({ timestamp: now + 30_000 }), now, step)).toBe(step + 1);
  });

  it("refuses anything that is not six digits", () => {
    const secret = Buffer.alloc(20, 1);
    for (const code of ["", "12345", "1234567", "12 456", "abcdef", "١٢٣٤٥٦"]) {
      expect(matchingStep(secret, code, Date.now(), undefined)).toBeNull();
    }
  });
});
