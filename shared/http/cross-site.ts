// Refuses cross-site requests to routes that act on the session cookie (docs/sso.md): Sec-Fetch-Site, then Origin.
import type { HttpRequest } from "@azure/functions";
import { settings } from "../config";
import { AppError } from "../errors";
import { registeredOrigins } from "../oauth/clients";

/** Hub's own origin, as the browser names it in `Origin`. */
export const hubOrigin = (): string => new URL(settings().PUBLIC_BASE_URL).origin;

/** Origins whose pages may act on Hub's session: Hub itself and the registered product origins. */
export const isTrustedOrigin = (origin: string): boolean =>
  origin === hubOrigin() || registeredOrigins().has(origin);

/**
 * A browser sends `Sec-Fetch-Site` (and `Origin` on every POST); `same-origin` and `none` (the user typed it)
 * pass, anything else passes only from a trusted origin. A request with neither header is not a browser's
 * (curl, a product backend): a cookie it carries was handed to it on purpose, so it passes.
 */
export function assertNotCrossSite(request: HttpRequest): void {
  const site = request.headers.get("sec-fetch-site")?.toLowerCase();
  const origin = request.headers.get("origin");
  if (site === "same-origin" || site === "none") return;
  if (!site && !origin) return;
  if (origin && origin !== "null" && isTrustedOrigin(origin)) return;
  throw new AppError("auth.forbidden", "Cross-site requests to this route are refused.");
}
