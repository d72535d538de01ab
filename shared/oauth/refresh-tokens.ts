// Refresh tokens (docs/sso.md): opaque, stored hashed, bound to the session, rotated on use; reuse kills the family.
import { randomUUID } from "node:crypto";
import { nowMs } from "../clock";
import { AppError } from "../errors";
import { TenantRepository } from "../store/repository";
import { forgetTokenRecord } from "../auth/auth-state";
import { markRevoked } from "../auth/token-records";
import { newOpaque, parseOpaque } from "./opaque";
import type { Scope } from "./scopes";

/** What every refresh token of one sign-in shares: the chain of rotations started by one authorization code. */
export interface FamilyDoc {
  id: string;
  org_id: string;
  type: "oauth_refresh_family";
  client_id: string;
  user_id: string;
  /** The family's access tokens that may still be live (expired ones are dropped), revoked with it. */
  tokens: IssuedJti[];
  revoked_at_ms?: number;
  ttl: number;
}

export interface RefreshDoc {
  id: string;
  org_id: string;
  type: "oauth_refresh";
  family_id: string;
  client_id: string;
  user_id: string;
  session_doc_id: string;
  scope: Scope[];
  expires_at_ms: number;
  used_at_ms?: number;
  ttl: number;
}

export interface IssuedJti {
  jti: string;
  expires_at_ms: number;
}

const families = new TenantRepository<FamilyDoc>("identity");
const refreshTokens = new TenantRepository<RefreshDoc>("identity");
const familyDocId = (familyId: string) => `refresh_family:${familyId}`;
export const familyIdOf = (family: FamilyDoc): string => family.id.slice("refresh_family:".length);

export interface Binding {
  org_id: string;
  client_id: string;
  user_id: string;
  session_doc_id: string;
  scope: Scope[];
  /** The session's end: a refresh token never outlives the session it is bound to. */
  expires_at_ms: number;
}

export async function startFamily(binding: Binding, first: IssuedJti): Promise<string> {
  const familyId = randomUUID();
  await families.upsert({
    id: familyDocId(familyId),
    org_id: binding.org_id,
    type: "oauth_refresh_family",
    client_id: binding.client_id,
    user_id: binding.user_id,
    tokens: [first],
    ttl: ttlUntil(binding.expires_at_ms),
  });
  return familyId;
}

export async function newRefreshToken(familyId: string, binding: Binding): Promise<string> {
  const { value, docId } = newOpaque("refresh", binding.org_id);
  await refreshTokens.upsert({
    id: docId,
    type: "oauth_refresh",
    family_id: familyId,
    ...binding,
    ttl: ttlUntil(binding.expires_at_ms),
  });
  return value;
}

/** Adds a token and drops the expired ones, so a family stays small however often it rotates. */
export async function addToFamily(family: FamilyDoc, issued: IssuedJti): Promise<void> {
  const live = family.tokens.filter((token) => token.expires_at_ms > nowMs());
  await families.patch(family.org_id, family.id, [{ op: "set", path: "/tokens", value: [...live, issued] }]);
}

const badRefresh = () =>
  new AppError("oauth.invalid_grant", "The refresh token is invalid, expired or revoked.");

export type PresentedRefresh =
  { outcome: "rotated"; doc: RefreshDoc; family: FamilyDoc } | { outcome: "reused"; doc: RefreshDoc };

/**
 * Uses a refresh token once (ETag): the first presentation rotates it, any later one is reuse — the caller then
 * revokes the family and ends the session. Unknown, expired or revoked tokens throw invalid_grant.
 */
export async function presentRefreshToken(value: string, clientId: string): Promise<PresentedRefresh> {
  const parsed = parseOpaque("refresh", value);
  if (!parsed) throw badRefresh();
  const doc = await refreshTokens.read(parsed.orgId, parsed.docId);
  if (doc?.type !== "oauth_refresh" || doc.client_id !== clientId) throw badRefresh();
  const familyDoc = await families.read(doc.org_id, familyDocId(doc.family_id));
  if (!familyDoc || familyDoc.revoked_at_ms !== undefined) throw badRefresh();
  if (doc.used_at_ms !== undefined) return { outcome: "reused", doc };
  if (doc.expires_at_ms <= nowMs()) throw badRefresh();
  const { _etag, ...plain } = doc;
  try {
    await refreshTokens.replace({ ...plain, used_at_ms: nowMs() }, _etag);
  } catch (error) {
    if (error instanceof AppError && error.code === "precondition.failed") return { outcome: "reused", doc };
    throw error;
  }
  return { outcome: "rotated", doc, family: familyDoc };
}

/** Revokes the family and every access token it issued (effective on every endpoint within 5 s). */
export async function revokeFamily(orgId: string, familyId: string, revokedBy: string): Promise<void> {
  const family = await families.patch(orgId, familyDocId(familyId), [
    { op: "set", path: "/revoked_at_ms", value: nowMs() },
  ]);
  for (const { jti } of family?.tokens ?? []) {
    await markRevoked(orgId, jti, revokedBy);
    forgetTokenRecord(orgId, jti);
  }
}

const ttlUntil = (expiresAtMs: number) => Math.max(60, Math.ceil((expiresAtMs - nowMs()) / 1000) + 3600);
