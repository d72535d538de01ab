// The integration key format (docs/auth.md): checkable offline, so a malformed key costs no I/O.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * `ik_live_` (production) or `ik_test_`, then the key id — the org id's 32 hex digits and 12 random hex
 * digits, so the key's partition and document are known without a lookup — then `_`, 256 bits of secret in
 * 43 base62 characters, and a 6-character base62 CRC-32 of everything before it (typos and truncations are
 * caught before any I/O; secret scanners can recognise a real key).
 */
const KEY_PATTERN = /^ik_(live|test)_([0-9a-f]{32})([0-9a-f]{12})_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export type KeyEnvironment = "live" | "test";

export interface ParsedKey {
  environment: KeyEnvironment;
  keyId: string;
  orgId: string;
}

function base62(value: bigint, width: number): string {
  let out = "";
  for (let rest = value; rest > 0n; rest /= 62n) out = BASE62[Number(rest % 62n)] + out;
  return out.padStart(width, "0");
}

const checksum = (body: string): string => base62(BigInt(crc32(body)), 6);

const orgHex = (orgId: string) => orgId.replace(/-/g, "").toLowerCase();

const orgIdFromHex = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** A new key id for an org (its UUID's hex digits plus 48 random bits). */
export function newKeyId(orgId: string): string {
  const hex = orgHex(orgId);
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error("Integration keys belong to orgs with a UUID id.");
  return hex + randomBytes(6).toString("hex");
}

/** The non-secret beginning of a key, shown in lists so people can tell their keys apart. */
export const keyPrefix = (environment: KeyEnvironment, keyId: string): string => `ik_${environment}_${keyId}`;

export function newKeyString(environment: KeyEnvironment, keyId: string): string {
  const secret = base62(BigInt(`0x${randomBytes(32).toString("hex")}`), 43);
  const body = `${keyPrefix(environment, keyId)}_${secret}`;
  return body + checksum(body);
}

/** The key's parts, or null when the text cannot be a key (wrong shape or checksum): no I/O either way. */
export function parseKey(text: string): ParsedKey | null {
  const match = KEY_PATTERN.exec(text);
  if (!match) return null;
  const [, environment, org, random, , sum] = match;
  if (checksum(text.slice(0, -6)) !== sum) return null;
  return { environment: environment as KeyEnvironment, keyId: org! + random!, orgId: orgIdFromHex(org!) };
}

/** What is stored: HMAC-SHA-256 of the whole key under the server pepper. */
export const keyHash = (key: string, pepper: string): string =>
  createHmac("sha256", pepper).update(key).digest("base64");

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "base64");
  const right = Buffer.from(b, "base64");
  return left.length === right.length && timingSafeEqual(left, right);
}
