// Keys derived from the server pepper for second factors, and the sealing of TOTP secrets at rest (docs/auth.md).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { settings } from "../config";

/**
 * A copy of the database alone must not yield a user's authenticator secret, so the secret is encrypted with a
 * key only the app holds. Keys are derived (HKDF) from the server pepper rather than settings of their own, each
 * with a label of its own, so none is ever the key that hashes integration keys.
 */
export function derivedKey(label: string): Buffer {
  return Buffer.from(hkdfSync("sha256", settings().INTEGRATION_KEY_PEPPER, "", label, 32));
}

const sealingKey = () => derivedKey("hub totp secret v1");

/** `v1.<iv>.<ciphertext>.<tag>` (base64url), bound to `context` (the user) as additional data. */
export function seal(plain: Buffer, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return ["v1", iv, body, cipher.getAuthTag()].map((part) => part.toString("base64url")).join(".");
}

/** The plain secret, or null when the box is malformed, was sealed for someone else, or under another key. */
export function open(sealed: string, context: string): Buffer | null {
  const [version, iv, body, tag] = sealed.split(".");
  if (version !== "v1" || !iv || !body || !tag) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealingKey(), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]);
  } catch {
    return null;
  }
}
