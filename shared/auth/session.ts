// Browser sessions: the session cookie (`__Host-hub_session`, or `hub_session` on a shared domain), and its document in the org's partition (stored by digest only).
import type { Cookie, HttpRequest } from "@azure/functions";
import type { OperationInput } from "@azure/cosmos";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { nowMs } from "../clock";
import { settings } from "../config";
import { TenantRepository } from "../store/repository";

/**
 * Host-only `__Host-hub_session` unless HUB_COOKIE_DOMAIN shares it with sibling subdomains: the prefix makes
 * the browser refuse a cookie of that name set by a sibling or without Secure/Path=/, so none can be planted.
 */
export const sessionCookieName = (): string =>
  settings().HUB_COOKIE_DOMAIN ? "hub_session" : "__Host-hub_session";
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

/**
 * The cookie value is `<org id>.<256-bit random, base64url>`: opaque to the browser; the org id names the
 * partition so the session is one point read. Only a SHA-256 digest of the secret is stored, so a copy of
 * the database does not hold live sessions.
 */
const COOKIE_VALUE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export interface SessionDoc {
  id: string;
  org_id: string;
  type: "session";
  user_id: string;
  /** A public id of the session (the id_token's `sid`, `hub.auth.session_ended`); absent on older sessions. */
  sid?: string;
  /** How the user proved who they are (RFC 8176 values, the tokens' `amr`); absent on older sessions: `["pwd"]`. */
  amr?: AuthMethod[];
  created_at_ms: number;
  expires_at_ms: number;
  /** Cosmos removes expired sessions where TTL is enforced; expires_at_ms is what counts. */
  ttl: number;
}

/** RFC 8176 authentication method references Hub uses: a password, a one-time password (TOTP or recovery code). */
export type AuthMethod = "pwd" | "otp";

export const amrOf = (session: Pick<SessionDoc, "amr">): AuthMethod[] => session.amr ?? ["pwd"];

const sessions = new TenantRepository<SessionDoc>("identity");

const sessionDocId = (secret: string) => `session:${createHash("sha256").update(secret).digest("hex")}`;

/** A new session: the cookie value for the browser, and the create operation for the login batch. */
export function newSession(
  orgId: string,
  userId: string,
  amr: AuthMethod[],
): { cookieValue: string; operation: OperationInput } {
  const secret = randomBytes(32).toString("base64url");
  const created = nowMs();
  const doc: SessionDoc = {
    id: sessionDocId(secret),
    org_id: orgId,
    type: "session",
    user_id: userId,
    sid: randomUUID(),
    amr,
    created_at_ms: created,
    expires_at_ms: created + SESSION_TTL_SECONDS * 1000,
    ttl: SESSION_TTL_SECONDS,
  };
  return {
    cookieValue: `${orgId}.${secret}`,
    operation: { operationType: "Create", resourceBody: { ...doc } },
  };
}

/** The session cookie's value in the request's Cookie header, if present. */
function sessionCookieOf(request: HttpRequest): string | null {
  const header = request.headers.get("cookie") ?? "";
  const wanted = sessionCookieName();
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === wanted) return rest.join("=");
  }
  return null;
}

/** The live session a cookie value names, or null (malformed — then without I/O —, unknown, expired). */
export async function sessionByCookieValue(value: string): Promise<SessionDoc | null> {
  const match = COOKIE_VALUE.exec(value);
  if (!match) return null;
  return liveSession(match[1]!, sessionDocId(match[2]!));
}

/** A live session by its document id (what authorization codes and refresh tokens are bound to). */
export async function liveSession(orgId: string, docId: string): Promise<SessionDoc | null> {
  const doc = await sessions.read(orgId, docId);
  if (doc?.type !== "session" || doc.expires_at_ms <= nowMs()) return null;
  return doc;
}

/** The public session id: the stored `sid`, or for an older session a digest of its document id. */
export const sidOf = (session: SessionDoc): string =>
  session.sid ?? createHash("sha256").update(`sid:${session.id}`).digest("base64url").slice(0, 22);

/** The live session the request carries, or null (absent, malformed, unknown, expired). */
export async function currentSession(request: HttpRequest): Promise<SessionDoc | null> {
  const value = sessionCookieOf(request);
  return value ? sessionByCookieValue(value) : null;
}

/** The operation that records a further method on a live session (a factor confirmed while signed in). */
export function sessionWithMethodOperation(session: SessionDoc, method: AuthMethod): OperationInput {
  const amr = amrOf(session).includes(method) ? amrOf(session) : [...amrOf(session), method];
  const { _etag: _ignored, ...stored } = session as SessionDoc & { _etag?: string };
  return { operationType: "Replace", id: session.id, resourceBody: { ...stored, amr } };
}

export async function endSession(session: SessionDoc): Promise<void> {
  await sessions.delete(session.org_id, session.id);
}

export function sessionCookie(value: string): Cookie {
  const domain = settings().HUB_COOKIE_DOMAIN;
  return {
    name: sessionCookieName(),
    value,
    ...(domain ? { domain } : {}),
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: "/",
    maxAge: SESSION_TTL_SECONDS,
  };
}

export const clearedSessionCookie = (): Cookie => ({ ...sessionCookie(""), maxAge: 0 });
