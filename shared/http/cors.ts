// CORS for the registered product origins only (docs/sso.md): exact origins, never a wildcard, never credentials.
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { registeredOrigins } from "../oauth/clients";

/** What a product page's script may read from a cross-origin answer besides the safelisted headers. */
const EXPOSED = "etag, location, retry-after, www-authenticate, x-request-id";
const ALLOWED_REQUEST_HEADERS = "authorization, content-type, if-match, x-request-id";
const PREFLIGHT_MAX_AGE_SECONDS = "600";

const allowedOrigin = (request: HttpRequest): string | null => {
  const origin = request.headers.get("origin");
  return origin && registeredOrigins().has(origin) ? origin : null;
};

/** Headers for an actual request: an exact origin echo for a registered origin, nothing for any other. */
export function corsHeaders(request: HttpRequest): Record<string, string> {
  const origin = allowedOrigin(request);
  if (!origin) return { vary: "Origin" };
  return { "access-control-allow-origin": origin, "access-control-expose-headers": EXPOSED, vary: "Origin" };
}

/** The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`) for a path allowing `methods`. */
export function preflightResponse(request: HttpRequest, methods: string[]): HttpResponseInit {
  const origin = allowedOrigin(request);
  const asked = request.headers.get("access-control-request-method")?.toUpperCase() ?? "";
  if (!origin || !methods.includes(asked)) return { status: 204, headers: { vary: "Origin" } };
  return {
    status: 204,
    headers: {
      "access-control-allow-origin": origin,
      "access-control-allow-methods": methods.join(", "),
      "access-control-allow-headers": ALLOWED_REQUEST_HEADERS,
      "access-control-max-age": PREFLIGHT_MAX_AGE_SECONDS,
      vary: "Origin",
    },
  };
}

export const isPreflight = (request: HttpRequest): boolean =>
  request.method === "OPTIONS" && request.headers.has("access-control-request-method");
