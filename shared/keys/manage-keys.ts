// Issuing, listing, rotating and revoking integration keys (docs/auth.md), always inside the caller's org.
import { z } from "zod";
import { now, nowMs } from "../clock";
import { settings } from "../config";
import { AppError } from "../errors";
import type { Principal } from "../auth/principal";
import { readOrg } from "../identity/repository";
import { parseCidr } from "./cidr";
import type { Page } from "../store/repository";
import { keyHash, keyPrefix, newKeyId, newKeyString } from "./key-format";
import { withNewSecret } from "./rotation";
import { rotateServiceKey } from "./service-keys";
import type { IntegrationKeyDoc } from "./repository";
import type { KeyScope } from "./scopes";
import { integrationKeys, keySummary, readIntegrationKey } from "./repository";
import { KEY_SCOPES, productOfScope } from "./scopes";
import { flushKeyUsage } from "./usage-buffer";
import { forgetIntegrationKey, keyEnvironment } from "./verify-key";

export const DEFAULT_GRACE_SECONDS = 86_400;
export const MAX_GRACE_SECONDS = 604_800;

export const createKeySchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z
    .array(z.enum(KEY_SCOPES))
    .min(1)
    .max(KEY_SCOPES.length)
    .default(["agents:read"])
    .transform((scopes) => [...new Set(scopes)]),
  /** Absent: the key never expires. */
  expires_at: z.iso
    .datetime({ offset: true })
    .refine((at) => Date.parse(at) > nowMs(), "must be in the future")
    .transform((at) => new Date(at).toISOString())
    .optional(),
  /** Absent: usable from anywhere. */
  allowed_cidrs: z
    .array(
      z
        .string()
        .max(64)
        .refine((text) => parseCidr(text) !== null, "must be an IPv4 or IPv6 CIDR block"),
    )
    .min(1)
    .max(50)
    .optional(),
});

const keyScopeSchema = z.enum(KEY_SCOPES);

/** A key as listed: never its secret. */
export const keySummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(keyScopeSchema),
    status: z.enum(["active", "revoked", "expired"]),
    created_at: z.string(),
    created_by: z.string(),
    rotated_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
    last_used_ip: z.string().nullable().optional(),
    kind: z.string().optional(),
    expires_at: z.string().nullable().optional(),
    allowed_cidrs: z.array(z.string()).nullable().optional(),
    product: z.string().nullable().optional().describe("A service key's product; null for a user key"),
  })
  .meta({ id: "IntegrationKey" });

export const keyListSchema = z.object({
  items: z.array(keySummarySchema),
  continuation: z.string().nullable().describe("Pass as ?continuation= for the next page; null at the end"),
});

/** The answer of POST /api/integration-keys: the only time (with rotation) the key itself is shown. */
export const createdKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  key: z.string().describe("The secret: shown only here and on rotation"),
  prefix: z.string(),
  scopes: z.array(keyScopeSchema),
  created_at: z.string(),
  created_by: z.string(),
  kind: z.string().optional(),
  expires_at: z.string().nullable().optional(),
  allowed_cidrs: z.array(z.string()).nullable().optional(),
});

export const rotatedKeySchema = keySummarySchema.extend({
  key: z
    .string()
    .optional()
    .describe(
      "The new secret: shown only here; absent for a service key, whose secret only the agents runtime holds",
    ),
  previous_key_expires_at: z.string(),
});

export const rotateKeySchema = z
  .object({ grace_seconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).default(DEFAULT_GRACE_SECONDS) })
  .default({ grace_seconds: DEFAULT_GRACE_SECONDS });

/** Who is recorded as having acted: a user id (keys cannot manage keys). */
const actor = (principal: Principal): string => principal.user_id ?? principal.key_id ?? "unknown";

/** A product scope needs the org's entitlement to that product (422 otherwise, naming the scope). */
async function requireEntitledScopes(orgId: string, scopes: readonly KeyScope[]): Promise<void> {
  const products = scopes.map(productOfScope);
  if (products.every((product) => product === null)) return;
  const org = await readOrg(orgId);
  const missing = scopes.filter((scope, index) => {
    const product = products[index];
    return product !== null && product !== undefined && !org?.entitlements.includes(product);
  });
  if (missing.length === 0) return;
  throw new AppError("request.invalid", "The organization is not entitled to the product of these scopes.", {
    errors: missing.map((scope) => ({
      path: `scopes[${scopes.indexOf(scope)}]`,
      message: `${scope}: the organization is not entitled to ${productOfScope(scope)}`,
    })),
  });
}

export async function createKey(principal: Principal, input: z.infer<typeof createKeySchema>) {
  await requireEntitledScopes(principal.org_id, input.scopes);
  const environment = keyEnvironment();
  const keyId = newKeyId(principal.org_id);
  const key = newKeyString(environment, keyId);
  const doc: IntegrationKeyDoc = {
    id: keyId,
    org_id: principal.org_id,
    type: "integration-key",
    kind: "user",
    name: input.name,
    prefix: keyPrefix(environment, keyId),
    scopes: input.scopes,
    secrets: [{ hash: keyHash(key, settings().INTEGRATION_KEY_PEPPER), created_at: now().toISOString() }],
    created_at: now().toISOString(),
    created_by: actor(principal),
    ...(input.expires_at ? { expires_at: input.expires_at } : {}),
    ...(input.allowed_cidrs ? { allowed_cidrs: input.allowed_cidrs } : {}),
  };
  await integrationKeys.upsert(doc);
  const { id, kind, name, prefix, scopes, created_at, created_by } = doc;
  return {
    id,
    kind,
    name,
    key,
    prefix,
    scopes,
    created_at,
    created_by,
    expires_at: doc.expires_at ?? null,
    allowed_cidrs: doc.allowed_cidrs ?? null,
  };
}

export async function listKeys(
  principal: Principal,
  page: { limit: number; continuation?: string },
): Promise<Page<ReturnType<typeof keySummary>>> {
  // So last_used_at and last_used_ip include this instance's uses not yet written.
  await flushKeyUsage();
  const result = await integrationKeys.query<IntegrationKeyDoc>(
    principal.org_id,
    {
      query:
        "SELECT * FROM c WHERE c.org_id = @org_id AND c.type = 'integration-key' ORDER BY c.created_at DESC",
    },
    page,
  );
  return { items: result.items.map(keySummary), continuation: result.continuation };
}

async function existingKey(principal: Principal, keyId: string) {
  const doc = await readIntegrationKey(principal.org_id, keyId);
  if (!doc) throw new AppError("resource.not_found", "No such integration key.");
  return doc;
}

/**
 * A new secret; the current one keeps working until the grace ends (older expired ones are dropped). A service
 * key's new secret goes to the agents runtime, never into the answer (shared/keys/service-keys.ts).
 */
export async function rotateKey(principal: Principal, keyId: string, graceSeconds: number) {
  const doc = await existingKey(principal, keyId);
  if (doc.revoked_at) throw new AppError("resource.gone", "This integration key was revoked.");
  if (doc.kind === "service") return rotateServiceKey(doc, graceSeconds);
  const at = nowMs();
  const key = newKeyString(keyEnvironment(), keyId);
  const graceEnds = at + graceSeconds * 1000;
  const { _etag, ...stored } = doc;
  const rotated = withNewSecret(stored, key, at, graceEnds);
  await integrationKeys.replace(rotated, _etag);
  forgetIntegrationKey(principal.org_id, keyId);
  return { ...keySummary(rotated), key, previous_key_expires_at: new Date(graceEnds).toISOString() };
}

/** Revokes at once here; other instances stop accepting it within the auth freshness window (< 5 s). */
export async function revokeKey(principal: Principal, keyId: string): Promise<void> {
  const doc = await existingKey(principal, keyId);
  if (doc.kind === "service") {
    throw new AppError(
      "resource.conflict",
      "A service key is issued and revoked by Hub: rotate it, or remove the org's entitlement to the product (or to agents) to revoke it.",
    );
  }
  if (doc.revoked_at) return;
  const { _etag, ...stored } = doc;
  await integrationKeys.replace(
    { ...stored, revoked_at: now().toISOString(), revoked_by: actor(principal), secrets: [] },
    _etag,
  );
  forgetIntegrationKey(principal.org_id, keyId);
}
