// Turns an `X-Integration-Key` into its org, id and scopes: shape first (no I/O), then one cached point read.
import { nowMs, now } from "../clock";
import { settings } from "../config";
import { AUTH_FRESHNESS_MS, FreshCache } from "../auth/fresh-cache";
import type { IntegrationKeyDoc } from "./repository";
import { integrationKeys, readIntegrationKey } from "./repository";
import { hashesEqual, keyHash, parseKey } from "./key-format";

/** `last_used_at` is written at most this often per key and process, never on every call. */
const LAST_USED_WRITE_EVERY_MS = 60_000;

const keyDocs = new FreshCache<string, IntegrationKeyDoc | null>(AUTH_FRESHNESS_MS);
const lastUsedWrites = new Map<string, number>();

export const forgetIntegrationKey = (orgId: string, keyId: string): void =>
  keyDocs.forget(`${orgId}/${keyId}`);

export const keyEnvironment = (): "live" | "test" => (settings().APP_ENV === "production" ? "live" : "test");

/** The key's document when the text is a valid, unrevoked key of this environment; null otherwise. */
export async function verifyIntegrationKey(text: string): Promise<IntegrationKeyDoc | null> {
  const parsed = parseKey(text);
  if (!parsed || parsed.environment !== keyEnvironment()) return null;
  const doc = await keyDocs.get(`${parsed.orgId}/${parsed.keyId}`, () =>
    readIntegrationKey(parsed.orgId, parsed.keyId),
  );
  if (!doc || doc.revoked_at) return null;
  const presented = keyHash(text, settings().INTEGRATION_KEY_PEPPER);
  const at = nowMs();
  // Every live secret is compared (no early exit), so timing does not say which one matched.
  let matched = false;
  for (const secret of doc.secrets) {
    const live = secret.expires_at_ms === undefined || secret.expires_at_ms > at;
    matched = hashesEqual(presented, secret.hash) && live ? true : matched;
  }
  if (!matched) return null;
  noteUse(doc, at);
  return doc;
}

/** Records the use in the background, at most once a minute per key, so a keyed call costs no write. */
function noteUse(doc: IntegrationKeyDoc, at: number): void {
  const last = lastUsedWrites.get(doc.id) ?? 0;
  if (at - last < LAST_USED_WRITE_EVERY_MS) return;
  lastUsedWrites.set(doc.id, at);
  void integrationKeys
    .patch(doc.org_id, doc.id, [{ op: "set", path: "/last_used_at", value: now().toISOString() }])
    .catch(() => lastUsedWrites.set(doc.id, last));
}
