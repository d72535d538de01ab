// The one rotation rule of every integration key (docs/auth.md): a new secret, the live ones kept until the grace ends.
import { settings } from "../config";
import { keyHash } from "./key-format";
import type { IntegrationKeyDoc } from "./repository";

/**
 * The document with `key` as its newest secret; each secret still live now keeps working until `graceEnds`
 * (never longer than it already would), and secrets already expired are dropped.
 */
export function withNewSecret<T extends IntegrationKeyDoc>(
  doc: T,
  key: string,
  at: number,
  graceEnds: number,
): T {
  const previous = doc.secrets
    .filter((secret) => secret.expires_at_ms === undefined || secret.expires_at_ms > at)
    .map((secret) => ({ ...secret, expires_at_ms: Math.min(secret.expires_at_ms ?? graceEnds, graceEnds) }));
  return {
    ...doc,
    secrets: [
      { hash: keyHash(key, settings().INTEGRATION_KEY_PEPPER), created_at: new Date(at).toISOString() },
      ...previous,
    ],
    rotated_at: new Date(at).toISOString(),
  };
}
