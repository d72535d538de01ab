// The token signing key ring: rotation on a schedule, publication before use, retirement after the last token expires.
import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import type { CryptoKey, JWK } from "jose";
import { calculateJwkThumbprint, importJWK } from "jose";
import { nowMs } from "../clock";
import { GLOBAL_PARTITION } from "../identity/model";
import { TenantRepository } from "../store/repository";
import { keyMaterialStore } from "./key-material";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Each key signs for this long before its successor takes over. */
export const ROTATE_EVERY_MS = 30 * DAY_MS;
/** A successor is published this long before it signs: far more than the JWKS cache lifetime (300 s). */
export const PUBLISH_LEAD_MS = DAY_MS;
/** Never less than two JWKS cache lifetimes between publication and first signature. */
const MIN_LEAD_MS = 2 * 300_000;
/** A retired key stays published until every token it signed has expired: the longest TTL plus the leeway. */
export const RETIRE_AFTER_MS = (900 + 60) * 1000;
/** How long a process trusts its copy of the ring before reading it again. */
const RING_MAX_AGE_MS = 60_000;
/** An unknown kid may trigger a re-read at most this often, so forged kids cannot flood the store. */
const UNKNOWN_KID_REFRESH_MS = 10_000;

export interface SigningKeyDoc {
  id: string;
  org_id: typeof GLOBAL_PARTITION;
  type: "signing-key";
  generation: number;
  kid: string;
  public_jwk: JWK;
  private_jwk?: JWK;
  vault_secret?: string;
  published_at_ms: number;
  activates_at_ms: number;
}

const keys = new TenantRepository<SigningKeyDoc>("identity");
const docId = (generation: number) => `signing-key:${String(generation).padStart(6, "0")}`;

export interface KeyRing {
  /** Oldest first. */
  keys: SigningKeyDoc[];
  loadedAt: number;
}

/** When a key stops being published: its successor's activation plus the last token's lifetime. */
function expiresAt(ring: SigningKeyDoc[], index: number): number {
  const successor = ring[index + 1];
  return successor ? successor.activates_at_ms + RETIRE_AFTER_MS : Number.POSITIVE_INFINITY;
}

/** The keys a verifier must know now (the JWKS): published, not yet past their retirement. */
export function publishedKeys(ring: SigningKeyDoc[], at: number): SigningKeyDoc[] {
  return ring.filter((key, index) => key.published_at_ms <= at && at < expiresAt(ring, index));
}

/** The key that signs now: the newest one already active. */
export function signingKey(ring: SigningKeyDoc[], at: number): SigningKeyDoc | undefined {
  return ring.filter((key) => key.activates_at_ms <= at).at(-1);
}

async function loadDocs(): Promise<SigningKeyDoc[]> {
  const page = await keys.query<SigningKeyDoc>(
    GLOBAL_PARTITION,
    { query: "SELECT * FROM c WHERE c.org_id = @org_id AND c.type = 'signing-key'" },
    { limit: 100 },
  );
  return page.items.sort((a, b) => a.generation - b.generation);
}

async function createKey(generation: number, publishedAt: number, activatesAt: number): Promise<void> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
  const publicJwk = { ...publicKey.export({ format: "jwk" }), alg: "RS256", use: "sig" } as JWK;
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = { ...privateKey.export({ format: "jwk" }), alg: "RS256", kid } as JWK;
  const material = await keyMaterialStore().save(kid, privateJwk);
  await keys.createIfAbsent({
    id: docId(generation),
    org_id: GLOBAL_PARTITION,
    type: "signing-key",
    generation,
    kid,
    public_jwk: { ...publicJwk, kid },
    ...material,
    published_at_ms: publishedAt,
    activates_at_ms: activatesAt,
  });
  // A concurrent creator may have won the id; its key is the one that counts, and ours is discarded.
}

/**
 * Brings the ring up to date: the first key on first use, a successor published ahead of its turn, and
 * keys past retirement removed. Idempotent and safe to run from several instances (ids are generations).
 */
export async function maintainKeyRing(at = nowMs()): Promise<SigningKeyDoc[]> {
  let ring = await loadDocs();
  const newest = ring.at(-1);
  if (!newest) {
    await createKey(1, at, at);
    ring = await loadDocs();
  } else if (
    newest.activates_at_ms <= at &&
    at >= newest.activates_at_ms + ROTATE_EVERY_MS - PUBLISH_LEAD_MS
  ) {
    const activatesAt = Math.max(newest.activates_at_ms + ROTATE_EVERY_MS, at + MIN_LEAD_MS);
    await createKey(newest.generation + 1, at, activatesAt);
    ring = await loadDocs();
  }
  for (const [index, key] of ring.entries()) {
    if (expiresAt(ring, index) <= at) {
      await keyMaterialStore().remove(key);
      await keys.delete(GLOBAL_PARTITION, key.id);
    }
  }
  return ring.filter((_, index) => expiresAt(ring, index) > at);
}

let cached: KeyRing | undefined;
let loading: Promise<KeyRing> | undefined;
let lastUnknownKidRefresh = 0;

/** The ring as this process knows it, re-read (and maintained) once it is a minute old. */
export async function keyRing(options: { force?: boolean } = {}): Promise<KeyRing> {
  const at = nowMs();
  if (cached && !options.force && at - cached.loadedAt < RING_MAX_AGE_MS) return cached;
  loading ??= maintainKeyRing(at)
    .then((ring) => (cached = { keys: ring, loadedAt: at }))
    .finally(() => (loading = undefined));
  return loading;
}

/** The published key with this kid, re-reading the ring (rate-limited) when the kid is unknown. */
export async function verificationKey(kid: string): Promise<SigningKeyDoc | undefined> {
  const at = nowMs();
  const find = (ring: KeyRing) => publishedKeys(ring.keys, at).find((key) => key.kid === kid);
  const known = find(await keyRing());
  if (known || at - lastUnknownKidRefresh < UNKNOWN_KID_REFRESH_MS) return known;
  lastUnknownKidRefresh = at;
  return find(await keyRing({ force: true }));
}

const importedKeys = new Map<string, Promise<CryptoKey>>();

/** The imported (CryptoKey) form of a key's public or private half, imported once per process. */
export function importedKey(doc: SigningKeyDoc, half: "public" | "private"): Promise<CryptoKey> {
  const cacheKey = `${half}:${doc.kid}`;
  let imported = importedKeys.get(cacheKey);
  if (!imported) {
    imported = (half === "public" ? Promise.resolve(doc.public_jwk) : keyMaterialStore().load(doc)).then(
      (jwk) => importJWK(jwk, "RS256") as Promise<CryptoKey>,
    );
    imported.catch(() => importedKeys.delete(cacheKey));
    importedKeys.set(cacheKey, imported);
  }
  return imported;
}
