// Opaque one-party credentials (authorization codes, refresh tokens): `<org id>.<256-bit random>`, stored by digest.
import { createHash, randomBytes } from "node:crypto";

const VALUE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/**
 * The org id names the partition, so the credential is one point read; only a SHA-256 digest of the secret is
 * the document id, so a copy of the database holds no usable code or refresh token.
 */
export function newOpaque(kind: string, orgId: string): { value: string; docId: string } {
  const secret = randomBytes(32).toString("base64url");
  return { value: `${orgId}.${secret}`, docId: opaqueDocId(kind, secret) };
}

/** The org and document id a presented value names, or null without any I/O when its shape is wrong. */
export function parseOpaque(kind: string, value: string): { orgId: string; docId: string } | null {
  const match = VALUE.exec(value);
  return match ? { orgId: match[1]!, docId: opaqueDocId(kind, match[2]!) } : null;
}

const opaqueDocId = (kind: string, secret: string) =>
  `${kind}:${createHash("sha256").update(secret).digest("hex")}`;
