// The single-use record behind an emailed link to a user (invitation, password reset), in the user's org partition.
import { nowMs } from "../clock";
import { isAppError } from "../errors";
import type { StoredDoc, WithEtag } from "../store/repository";
import { TenantRepository } from "../store/repository";
import type { LinkPurpose } from "./signed-link";
import { linkUrl, newLinkId, signLink, verifyLink } from "./signed-link";

/**
 * Usage (docs/auth.md, "Signed links"):
 * - `issueUserLink({purpose, orgId, userId, lifetimeMs, path})` writes the record and returns `{url, linkId,
 *   expiresAt}`; `path(token)` builds the route, e.g. ``(t) => `/api/invitations/${t}` ``.
 * - `openUserLink(purpose, token)`: the signature (no I/O for garbage), then the record → the record, or
 *   `not_found` (404), `expired` / `used` (410).
 * - `useUserLink(record)` marks it used under its ETag: false when another request used it first.
 * - `retireUserLink(orgId, linkId)` kills a link that was never used (a resend or a revocation): it answers `used`.
 */
export interface UserLinkDoc extends StoredDoc {
  /** `link:<link id>`. */
  id: string;
  type: "user-link";
  purpose: LinkPurpose;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at?: string;
  /** Why it is dead before its time: used, or replaced by a newer link, or revoked. */
  ended?: "used" | "retired";
}

/** A dead record is kept this long after its expiry (Cosmos TTL), so a late click still answers 410, not 404. */
const KEEP_AFTER_EXPIRY_S = 7 * 24 * 60 * 60;

const userLinks = new TenantRepository<UserLinkDoc>("identity");
const linkDocId = (linkId: string): string => `link:${linkId}`;

export async function issueUserLink(input: {
  purpose: LinkPurpose;
  orgId: string;
  userId: string;
  lifetimeMs: number;
  path: (token: string) => string;
}): Promise<{ url: string; linkId: string; expiresAt: string }> {
  const now = nowMs();
  const expiresAt = Math.floor((now + input.lifetimeMs) / 1000) * 1000;
  const linkId = newLinkId();
  await userLinks.upsert({
    id: linkDocId(linkId),
    org_id: input.orgId,
    type: "user-link",
    purpose: input.purpose,
    user_id: input.userId,
    created_at: new Date(now).toISOString(),
    expires_at: new Date(expiresAt).toISOString(),
    ttl: Math.ceil((expiresAt - now) / 1000) + KEEP_AFTER_EXPIRY_S,
  });
  const token = signLink(input.purpose, { orgId: input.orgId, linkId, expiresAt });
  return { url: linkUrl(input.path(token)), linkId, expiresAt: new Date(expiresAt).toISOString() };
}

export type OpenedLink =
  { ok: true; record: WithEtag<UserLinkDoc> } | { ok: false; reason: "not_found" | "expired" | "used" };

export async function openUserLink(purpose: LinkPurpose, token: string): Promise<OpenedLink> {
  const check = verifyLink(purpose, token, nowMs());
  if (!check.ok) return { ok: false, reason: check.reason === "expired" ? "expired" : "not_found" };
  const record = await userLinks.read(check.claims.orgId, linkDocId(check.claims.linkId));
  if (!record || record.type !== "user-link" || record.purpose !== purpose)
    return { ok: false, reason: "not_found" };
  if (record.ended) return { ok: false, reason: "used" };
  if (nowMs() >= Date.parse(record.expires_at)) return { ok: false, reason: "expired" };
  return { ok: true, record };
}

/** Marks the link used; false when someone used or retired it since it was opened. */
export async function useUserLink(record: WithEtag<UserLinkDoc>): Promise<boolean> {
  const { _etag, ...doc } = record;
  try {
    await userLinks.replace({ ...doc, ended: "used", used_at: new Date(nowMs()).toISOString() }, _etag);
    return true;
  } catch (error) {
    if (isAppError(error) && (error.code === "precondition.failed" || error.code === "resource.not_found"))
      return false;
    throw error;
  }
}

/** Kills an unused link (a newer one replaced it, or it was revoked); a no-op for an unknown or used one. */
export async function retireUserLink(orgId: string, linkId: string): Promise<void> {
  const record = await userLinks.read(orgId, linkDocId(linkId));
  if (!record || record.type !== "user-link" || record.ended) return;
  const { _etag, ...doc } = record;
  await userLinks.replace({ ...doc, ended: "retired" }, _etag).catch((error: unknown) => {
    // Used or retired a moment ago by someone else: it is dead either way.
    if (!(isAppError(error) && error.code === "precondition.failed")) throw error;
  });
}

/** The link id a record was issued under (what a user's invitation names). */
export const linkIdOf = (record: UserLinkDoc): string => record.id.slice("link:".length);
