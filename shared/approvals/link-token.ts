// Decision-link tokens: short enough for an SMS, signed, and checked with no I/O before anything else happens.
import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * `v1.<org>.<link id>.<expiry>.<signature>`:
 * - org: the org id (a UUID packed into 16 bytes, anything else as UTF-8), base64url;
 * - link id: 96 random-looking bits naming the link record (execution, step, recipient) in the org's partition;
 * - expiry: unix seconds in base 36, the gate's own deadline;
 * - signature: HMAC-SHA-256 over the rest, cut to 128 bits.
 */
export interface LinkClaims {
  orgId: string;
  linkId: string;
  expiresAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN = /^v1\.([uo][A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{16})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;

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

const sign = (body: string, secret: string) =>
  createHmac("sha256", secret).update(body).digest().subarray(0, 16).toString("base64url");

/** The link id for one recipient of one gate: the same every time, so a repeated activity sends the same link. */
export function linkIdFor(secret: string, executionId: string, stepId: string, recipient: string): string {
  return createHmac("sha256", secret)
    .update(`link\n${executionId}\n${stepId}\n${recipient}`)
    .digest()
    .subarray(0, 12)
    .toString("base64url");
}

export function signLinkToken(claims: LinkClaims, secret: string): string {
  const body = `v1.${packOrg(claims.orgId)}.${claims.linkId}.${Math.floor(claims.expiresAt / 1000).toString(36)}`;
  return `${body}.${sign(body, secret)}`;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: "malformed" | "expired" };

/** Pure: the format, the signature (constant time) and the expiry. A forged token is "malformed", never "expired". */
export function verifyLinkToken(token: string, secret: string, nowMs: number): LinkCheck {
  const match = TOKEN.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const [, org, linkId, expiry, signature] = match;
  const body = `v1.${org}.${linkId}.${expiry}`;
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(signature!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: "malformed" };
  const orgId = unpackOrg(org!);
  if (!orgId) return { ok: false, reason: "malformed" };
  const expiresAt = parseInt(expiry!, 36) * 1000;
  if (nowMs >= expiresAt) return { ok: false, reason: "expired" };
  return { ok: true, claims: { orgId, linkId: linkId!, expiresAt } };
}
