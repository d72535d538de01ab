// CSRF protection for Hub's own forms (sign-in, sign-out): a double-submit token in a host-only `__Host-` cookie.
import type { Cookie, HttpRequest } from "@azure/functions";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * The body of Hub's form routes as the pipeline takes it: any fields, each handler checks its own, because it
 * answers a page again (or an RFC 6749 error) rather than problem+json.
 */
export const formFields = z.record(z.string(), z.string()).optional();

const COOKIE = "__Host-hub_form";
const VALUE = /^[A-Za-z0-9_-]{43}$/;
export const FORM_TOKEN_FIELD = "form_token";

function presentedCookie(request: HttpRequest): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    const value = rest.join("=");
    if (name === COOKIE && VALUE.test(value)) return value;
  }
  return null;
}

/**
 * The token a page embeds, and the cookie that carries it (kept when the browser already has one, so two open
 * tabs both work). No other site can read or set a host-only `__Host-` cookie, so it cannot forge the pair.
 */
export function formToken(request: HttpRequest): { token: string; cookie: Cookie } {
  const token = presentedCookie(request) ?? randomBytes(32).toString("base64url");
  return {
    token,
    cookie: {
      name: COOKIE,
      value: token,
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
      path: "/",
      maxAge: 3600,
    },
  };
}

export function formTokenMatches(request: HttpRequest, field: string | undefined): boolean {
  const cookie = presentedCookie(request);
  if (!cookie || !field || field.length !== cookie.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(field));
}
