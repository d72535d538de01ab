// Integration key documents in the `keys` container, in their org's partition, one per key id.
import type { KeyScope } from "../auth/principal";
import { nowMs } from "../clock";
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
  /** `user`: issued by an admin; `service`: issued by Hub for the org's agents (docs/auth.md, "Key kinds"). */
  kind?: "user" | "service";
  /** A service key's product: the only product whose introspection reports it active. */
  product?: string;
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
  /** ISO time after which the key is refused; absent: never expires. */
  expires_at?: string;
  /** CIDR blocks the key may be used from; absent: anywhere. */
  allowed_cidrs?: string[];
  /** Written by the usage buffer's flush (shared/keys/usage-buffer.ts), never per request. */
  last_used_at?: string;
  last_used_ip?: string;
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
  kind: doc.kind ?? ("user" as const),
  name: doc.name,
  prefix: doc.prefix,
  scopes: doc.scopes,
  status: doc.revoked_at
    ? ("revoked" as const)
    : doc.expires_at && Date.parse(doc.expires_at) <= nowMs()
      ? ("expired" as const)
      : ("active" as const),
  created_at: doc.created_at,
  created_by: doc.created_by,
  rotated_at: doc.rotated_at ?? null,
  revoked_at: doc.revoked_at ?? null,
  expires_at: doc.expires_at ?? null,
  allowed_cidrs: doc.allowed_cidrs ?? null,
  last_used_at: doc.last_used_at ?? null,
  last_used_ip: doc.last_used_ip ?? null,
  product: doc.product ?? null,
});
