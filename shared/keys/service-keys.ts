// Agent service keys (docs/auth.md, "Agent service keys"): one per org and product, issued by Hub on first use, rotated every
// 30 days with a grace period, revoked when the org loses the product or `agents`.
import type { JSONObject, OperationInput } from "@azure/cosmos";
import { cachedOrg } from "../auth/auth-state";
import { FreshCache } from "../auth/fresh-cache";
import { now, nowMs } from "../clock";
import { settings } from "../config";
import { AppError, isAppError } from "../errors";
import type { OrgDoc } from "../identity/model";
import type { WithEtag } from "../store/repository";
import { TenantRepository } from "../store/repository";
import { keyHash, keyPrefix, newKeyId, newKeyString } from "./key-format";
import type { IntegrationKeyDoc } from "./repository";
import { keySummary, readIntegrationKey } from "./repository";
import { withNewSecret } from "./rotation";
import type { KeyScope } from "./scopes";
import { SCOPED_PRODUCTS } from "./scopes";
import type { ServiceKeySecretRef } from "./service-key-secret";
import { loadServiceKeySecret, saveServiceKeySecret } from "./service-key-secret";
import { forgetIntegrationKey, keyEnvironment } from "./verify-key";

const DAY_MS = 24 * 60 * 60 * 1000;
/** A service key gets a new secret once its current one is this old (on the first use after that). */
export const SERVICE_KEY_ROTATE_EVERY_MS = 30 * DAY_MS;
/** After a rotation, the previous secret keeps validating this long: instances that still hold it keep working. */
export const SERVICE_KEY_GRACE_SECONDS = 86_400;
/**
 * How long a process reuses the secret it loaded. Far below the grace period, so a rotation elsewhere never
 * strands it; a revocation elsewhere makes the product refuse the key at once, whatever this process holds.
 */
const SECRET_REUSE_MS = 60_000;
/** Who Hub records as the actor of what it does to service keys on its own. */
const HUB = "hub";

export type ServiceKeyProduct = (typeof SCOPED_PRODUCTS)[number];

/** Which key serves one product of one org, and where its secret is: `service-key:<product>` in the keys container. */
interface ServiceKeySlotDoc extends ServiceKeySecretRef {
  id: string;
  org_id: string;
  type: "service-key-slot";
  product: ServiceKeyProduct;
  key_id: string;
  secret_created_at: string;
}

const slots = new TenantRepository<ServiceKeySlotDoc>("keys");
const slotId = (product: string) => `service-key:${product}`;
const loaded = new FreshCache<string, string>(SECRET_REUSE_MS);

/** An org may hold a product's service key while it is entitled to that product and to `agents`. */
export const entitledToServiceKey = (entitlements: readonly string[], product: string): boolean =>
  entitlements.includes("agents") && entitlements.includes(product);

export const mayHoldServiceKey = (org: OrgDoc | null, product: string): boolean =>
  org?.status === "active" && entitledToServiceKey(org.entitlements, product);

/** Everything the product's API allows: the agents' actions read and write (shared/keys/scopes.ts). */
const serviceKeyScopes = (product: ServiceKeyProduct): KeyScope[] => [`${product}:read`, `${product}:write`];

// The SDK's JSONObject type cannot say that an interface is JSON.
const asJson = (doc: object) => doc as unknown as JSONObject;

/** A store conflict means another instance changed the same key first: its outcome is read on the next round. */
const lostRace = (error: unknown) =>
  isAppError(error) && (error.code === "precondition.failed" || error.code === "resource.conflict");

async function issue(
  orgId: string,
  product: ServiceKeyProduct,
  previous: WithEtag<ServiceKeySlotDoc> | null,
): Promise<string | null> {
  const environment = keyEnvironment();
  const keyId = newKeyId(orgId);
  const key = newKeyString(environment, keyId);
  const at = now().toISOString();
  const doc: IntegrationKeyDoc = {
    id: keyId,
    org_id: orgId,
    type: "integration-key",
    kind: "service",
    product,
    name: `Agents service key for ${product}`,
    prefix: keyPrefix(environment, keyId),
    scopes: serviceKeyScopes(product),
    secrets: [{ hash: keyHash(key, settings().INTEGRATION_KEY_PEPPER), created_at: at }],
    created_at: at,
    created_by: HUB,
  };
  const slot: ServiceKeySlotDoc = {
    id: slotId(product),
    org_id: orgId,
    type: "service-key-slot",
    product,
    key_id: keyId,
    secret_created_at: at,
    ...(await saveServiceKeySecret(orgId, product, key)),
  };
  try {
    await slots.batch(orgId, [
      { operationType: "Create", resourceBody: asJson(doc) },
      previous
        ? { operationType: "Replace", id: slot.id, resourceBody: asJson(slot), ifMatch: previous._etag }
        : { operationType: "Create", resourceBody: asJson(slot) },
    ]);
  } catch (error) {
    if (lostRace(error)) return null;
    throw error;
  }
  return key;
}

async function rotate(
  slot: WithEtag<ServiceKeySlotDoc>,
  doc: WithEtag<IntegrationKeyDoc>,
  graceSeconds: number,
): Promise<{ key: string; rotated: IntegrationKeyDoc; graceEnds: number }> {
  const at = nowMs();
  const graceEnds = at + graceSeconds * 1000;
  const key = newKeyString(keyEnvironment(), doc.id);
  const { _etag: keyEtag, ...storedKey } = doc;
  const { _etag: slotEtag, ...storedSlot } = slot;
  const rotated = withNewSecret(storedKey, key, at, graceEnds);
  const nextSlot: ServiceKeySlotDoc = {
    ...storedSlot,
    secret: undefined,
    vault_secret: undefined,
    vault_version: undefined,
    secret_created_at: new Date(at).toISOString(),
    ...(await saveServiceKeySecret(slot.org_id, slot.product, key)),
  };
  await slots.batch(slot.org_id, [
    { operationType: "Replace", id: doc.id, resourceBody: asJson(rotated), ifMatch: keyEtag },
    { operationType: "Replace", id: slot.id, resourceBody: asJson(nextSlot), ifMatch: slotEtag },
  ]);
  forget(slot.org_id, slot.product, doc.id);
  return { key, rotated, graceEnds };
}

function forget(orgId: string, product: string, keyId: string): void {
  forgetIntegrationKey(orgId, keyId);
  loaded.forget(`${orgId}/${product}`);
}

async function currentServiceKey(orgId: string, product: ServiceKeyProduct): Promise<string> {
  for (let round = 1; round <= 5; round++) {
    if (!mayHoldServiceKey(await cachedOrg(orgId), product)) {
      throw new AppError(
        "auth.forbidden",
        `The organization has no service key for ${product}: it needs the ${product} and agents entitlements.`,
      );
    }
    const slot = await slots.read(orgId, slotId(product));
    const doc = slot && (await readIntegrationKey(orgId, slot.key_id));
    if (!slot || !doc || doc.revoked_at) {
      const issued = await issue(orgId, product, slot);
      if (issued) return issued;
      continue;
    }
    if (nowMs() - Date.parse(slot.secret_created_at) < SERVICE_KEY_ROTATE_EVERY_MS)
      return loadServiceKeySecret(slot);
    try {
      return (await rotate(slot, doc, SERVICE_KEY_GRACE_SECONDS)).key;
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
  }
  throw new AppError("store.unavailable", "The service key kept changing under this request.", {
    retryAfter: 1,
  });
}

/**
 * The key the agents runtime (and Hub's syncs) send to `product` on behalf of `orgId`: issued on first use,
 * rotated once 30 days old; refused (403) when the org may not hold it.
 */
export function serviceKeyFor(orgId: string, product: ServiceKeyProduct): Promise<string> {
  return loaded.get(`${orgId}/${product}`, () => currentServiceKey(orgId, product));
}

/** Drops this process's copy of the secret (the product refused it): the next use reads the store again. */
export const forgetServiceKey = (orgId: string, product: ServiceKeyProduct): void =>
  loaded.forget(`${orgId}/${product}`);

/** An admin's rotation (POST /api/integration-keys/{id}/rotate): the new secret goes to the runtime, not the caller. */
export async function rotateServiceKey(doc: WithEtag<IntegrationKeyDoc>, graceSeconds: number) {
  const slot = doc.product ? await slots.read(doc.org_id, slotId(doc.product)) : null;
  if (!slot || slot.key_id !== doc.id)
    throw new AppError("resource.gone", "This service key is no longer the one Hub uses.");
  const { rotated, graceEnds } = await rotate(slot, doc, graceSeconds);
  return { ...keySummary(rotated), previous_key_expires_at: new Date(graceEnds).toISOString() };
}

/**
 * Revokes at once the service keys the org may no longer hold (it lost the product, or `agents`); other instances
 * stop accepting them within the auth freshness window. Returns the products whose key was revoked.
 */
export async function revokeLapsedServiceKeys(
  orgId: string,
  entitlements: readonly string[],
): Promise<string[]> {
  const revoked: string[] = [];
  for (const product of SCOPED_PRODUCTS) {
    if (!entitledToServiceKey(entitlements, product) && (await revokeServiceKey(orgId, product)))
      revoked.push(product);
  }
  return revoked;
}

/** Deletes the product's slot and revokes its key in one batch; retried when a use raced to rotate it. */
async function revokeServiceKey(orgId: string, product: ServiceKeyProduct): Promise<boolean> {
  for (let round = 1; round <= 5; round++) {
    const slot = await slots.read(orgId, slotId(product));
    if (!slot) return false;
    const doc = await readIntegrationKey(orgId, slot.key_id);
    const operations: OperationInput[] = [{ operationType: "Delete", id: slot.id }];
    if (doc && !doc.revoked_at) {
      const { _etag, ...stored } = doc;
      const revokedDoc = { ...stored, revoked_at: now().toISOString(), revoked_by: HUB, secrets: [] };
      operations.push({
        operationType: "Replace",
        id: doc.id,
        resourceBody: asJson(revokedDoc),
        ifMatch: _etag,
      });
    }
    try {
      await slots.batch(orgId, operations);
    } catch (error) {
      if (lostRace(error)) continue;
      throw error;
    }
    forget(orgId, product, slot.key_id);
    return true;
  }
  throw new AppError("store.unavailable", "The service key kept changing while it was revoked.", {
    retryAfter: 1,
  });
}
