// The org's service key: what agents and Hub's syncs present to product APIs in X-Integration-Key.
import { createHmac, timingSafeEqual } from "node:crypto";
import { settings } from "../config";
import { AppError } from "../errors";

/**
 * Derived from one secret (PRODUCT_SERVICE_KEY_SECRET, shared with the product backends through their own Key
 * Vault) and the org id, so every org has its own key, nothing per org is stored, and a product can verify a key
 * without calling Hub. Rotating the secret rotates every org's key.
 */
export function serviceKeyFor(orgId: string, secret = settings().PRODUCT_SERVICE_KEY_SECRET): string {
  if (!secret)
    throw new AppError("internal", "PRODUCT_SERVICE_KEY_SECRET is not set: product calls are disabled.");
  const mac = createHmac("sha256", secret).update(`service:${orgId}`).digest("base64url");
  return `svc_${Buffer.from(orgId).toString("base64url")}_${mac}`;
}

/** What a product backend does with the same secret; used by our tests' fake products. */
export function verifyServiceKey(key: string, secret: string): string | null {
  const match = /^svc_([A-Za-z0-9_-]+)_([A-Za-z0-9_-]{43})$/.exec(key);
  if (!match) return null;
  const orgId = Buffer.from(match[1]!, "base64url").toString("utf8");
  const expected = Buffer.from(serviceKeyFor(orgId, secret));
  const given = Buffer.from(key);
  return expected.length === given.length && timingSafeEqual(expected, given) ? orgId : null;
}
