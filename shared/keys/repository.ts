// Integration key documents in the `keys` container, in their org's partition, one per key id.
import type { KeyScope } from "../auth/principal";
import type { WithEtag } from "../store/repository";
import { TenantRepository } from "../store/repository";

export interface KeySecret {
  /** HMAC-SHA-256 of the whole key under the pepper (keys/key-format.ts). */
  hash: string;
  created_at: string;
  /** Set on rotation: the previous secret works until then (the grace period). */
  expires_at_ms?: number;
}

export interface IntegrationKeyDoc {
  id: string;
  org_id: string;
  type: "integration-key";
  name: string;
  prefix: string;
  scopes: KeyScope[];
  /** Newest first. */
  secrets: KeySecret[];
  created_at: string;
  created_by: string;
  rotated_at?: string;
  revoked_at?: string;
  revoked_by?: string;
  last_used_at?: string;
}

export const integrationKeys = new TenantRepository<IntegrationKeyDoc>("keys");

export async function readIntegrationKey(
  orgId: string,
  keyId: string,
): Promise<WithEtag<IntegrationKeyDoc> | null> {
  const doc = await integrationKeys.read(orgId, keyId);
  return doc?.type === "integration-key" ? doc : null;
}

/** What a list or a response shows of a key: never a secret or a hash. */
export const keySummary = (doc: IntegrationKeyDoc) => ({
  id: doc.id,
  name: doc.name,
  prefix: doc.prefix,
  scopes: doc.scopes,
  status: doc.revoked_at ? ("revoked" as const) : ("active" as const),
  created_at: doc.created_at,
  created_by: doc.created_by,
  rotated_at: doc.rotated_at ?? null,
  revoked_at: doc.revoked_at ?? null,
  last_used_at: doc.last_used_at ?? null,
});
