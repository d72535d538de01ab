// Signed link tokens for every emailed capability (approval decisions, invitations, password resets), checked with no I/O.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { settings } from "../config";

/**
 * The whole API (docs/auth.md, "Signed links"):
 * - `signLink(purpose, {orgId, linkId, expiresAt}, secret?)` → a token for a URL path segment;
 * - `verifyLink(purpose, token, nowMs, secret?)` → the claims, or "malformed" (anything forged, garbled, or signed
 *   for another purpose: answer 404) or "expired" (answer 410). Pure and constant-time: call it before any I/O.
 * - `newLinkId()` for a random link id; a caller that must send the same link twice derives its own id.
 * - `linkUrl(path)` joins `PUBLIC_BASE_URL` and an `/api/...` path.
 * Single use is the caller's record (shared/links/link-record.ts, or the approval record for decision links).
 *
 * Token `v2.<org>.<link id>.<expiry>.<signature>`:
 * - org: the org id (a UUID packed into 16 bytes, anything else as UTF-8), base64url;
 * - link id: 96 bits (16 base64url characters) naming the link's record in the org's partition;
 * - expiry: unix seconds in base 36;
 * - signature: HMAC-SHA-256 over `<purpose>\n<the rest>`, cut to 128 bits. The purpose is signed, never sent: a
 *   token made for one purpose fails the signature check of every other.
 * Approval links issued before purposes existed (`v1.…`, signed without one) stay valid for the approval purpose
 * only: their MAC input starts with `v1.`, which no purpose's input does.
 */
export const LINK_PURPOSES = ["approval", "invitation", "password_reset"] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

export interface LinkClaims {
  orgId: string;
  linkId: string;
  /** Milliseconds since the epoch; rounded down to the second in the token. */
  expiresAt: number;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: "malformed" | "expired" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN =
  /^(v[12])\.([uo][A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{16})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;

/** The one secret behind every link; rotating it kills every open link of every purpose. */
const linkSecret = (): string => settings().APPROVAL_LINK_SECRET;

function packOrg(orgId: string): string {
  if (UUID.test(orgId)) return `u${Buffer.from(orgId.replace(/-/g, ""), "hex").toString("base64url")}`;
  return `o${Buffer.from(orgId, "utf8").toString("base64url")}`;
}

function unpackOrg(packed: string): string | null {
  const bytes = Buffer.from(packed.slice(1), "base64url");
  if (packed[0] === "o") return bytes.length > 0 ? bytes.toString("utf8") : null;
  if (bytes.length !== 16) return null;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const mac = (input: string, secret: string) =>
  createHmac("sha256", secret).update(input).digest().subarray(0, 16).toString("base64url");

/** What the signature covers: the purpose first, except for the approval links of before (`v1`). */
function macInput(purpose: LinkPurpose, body: string): string | null {
  if (body.startsWith("v1.")) return purpose === "approval" ? body : null;
  return `${purpose}\n${body}`;
}

/** 96 random bits, the size of the token's link id. */
export const newLinkId = (): string => randomBytes(12).toString("base64url");

export function signLink(purpose: LinkPurpose, claims: LinkClaims, secret = linkSecret()): string {
  if (!/^[A-Za-z0-9_-]{16}$/.test(claims.linkId)) throw new Error("A link id is 16 base64url characters.");
  const body = `v2.${packOrg(claims.orgId)}.${claims.linkId}.${Math.floor(claims.expiresAt / 1000).toString(36)}`;
  return `${body}.${mac(macInput(purpose, body)!, secret)}`;
}

/** Pure: the format, the signature for this purpose (constant time), then the expiry. A forgery is never "expired". */
export function verifyLink(
  purpose: LinkPurpose,
  token: string,
  nowMs: number,
  secret = linkSecret(),
): LinkCheck {
  const match = TOKEN.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const [, version, org, linkId, expiry, signature] = match;
  const body = `${version}.${org}.${linkId}.${expiry}`;
  const input = macInput(purpose, body);
  if (input === null) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(mac(input, secret));
  const given = Buffer.from(signature!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: "malformed" };
  const orgId = unpackOrg(org!);
  if (!orgId) return { ok: false, reason: "malformed" };
  const expiresAt = parseInt(expiry!, 36) * 1000;
  if (nowMs >= expiresAt) return { ok: false, reason: "expired" };
  return { ok: true, claims: { orgId, linkId: linkId!, expiresAt } };
}

/** `PUBLIC_BASE_URL` + path (which starts with `/api/`): the address a link's email carries. */
export const linkUrl = (path: string): string => `${settings().PUBLIC_BASE_URL.replace(/\/+$/, "")}${path}`;
