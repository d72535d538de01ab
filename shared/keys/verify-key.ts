// Turns an `X-Integration-Key` into its org, id and scopes: shape first (no I/O), then one cached point read.
import { nowMs } from "../clock";
import { settings } from "../config";
import { AUTH_FRESHNESS_MS, FreshCache } from "../auth/fresh-cache";
import type { IntegrationKeyDoc } from "./repository";
import { readIntegrationKey } from "./repository";
import { hashesEqual, keyHash, parseKey } from "./key-format";

const keyDocs = new FreshCache<string, IntegrationKeyDoc | null>(AUTH_FRESHNESS_MS);

export const forgetIntegrationKey = (orgId: string, keyId: string): void =>
  keyDocs.forget(`${orgId}/${keyId}`);

export const keyEnvironment = (): "live" | "test" => (settings().APP_ENV === "production" ? "live" : "test");

/**
 * The key's document when the text is a valid, unrevoked, unexpired key of this environment; null otherwise.
 * Where it may be used from and what it may do are the caller's checks (shared/auth/authenticate.ts).
 */
export async function verifyIntegrationKey(text: string): Promise<IntegrationKeyDoc | null> {
  const parsed = parseKey(text);
  if (!parsed || parsed.environment !== keyEnvironment()) return null;
  const doc = await keyDocs.get(`${parsed.orgId}/${parsed.keyId}`, () =>
    readIntegrationKey(parsed.orgId, parsed.keyId),
  );
  if (!doc || doc.revoked_at) return null;
  const at = nowMs();
  if (doc.expires_at && Date.parse(doc.expires_at) <= at) return null;
  const presented = keyHash(text, settings().INTEGRATION_KEY_PEPPER);
  // Every live secret is compared (no early exit), so timing does not say which one matched.
  let matched = false;
  for (const secret of doc.secrets) {
    const live = secret.expires_at_ms === undefined || secret.expires_at_ms > at;
    matched = hashesEqual(presented, secret.hash) && live ? true : matched;
  }
  return matched ? doc : null;
}
