// Test helpers for Hub SSO: the product clients a test registers, and the user agent's part of the redirect flow.
import type { DevHost } from "../../devhost/host";
import { rememberSecret } from "./identity";

export const AGENTS_SECRET = rememberSecret("agents-client-secret-for-tests-0123456789");
export const PSA_SECRET = rememberSecret("psa-client-secret-for-tests-000123456789");
export const PRODUCT_ORIGIN = "http://127.0.0.1:45871";
export const AGENTS_REDIRECT = `${PRODUCT_ORIGIN}/callback`;
export const AGENTS_SIGNED_OUT = `${PRODUCT_ORIGIN}/signed-out`;
export const PSA_REDIRECT = "https://psa.example.test/oauth/callback";

/** Settings registering `agents` (a browser origin on loopback) and `psa` as clients. */
export function clientSettings(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PRODUCT_AGENTS_REDIRECT_URIS: `${AGENTS_REDIRECT},${AGENTS_SIGNED_OUT}`,
    PRODUCT_AGENTS_ORIGINS: PRODUCT_ORIGIN,
    PRODUCT_AGENTS_CLIENT_SECRET: AGENTS_SECRET,
    PRODUCT_PSA_REDIRECT_URIS: PSA_REDIRECT,
    PRODUCT_PSA_ORIGINS: "",
    PRODUCT_PSA_CLIENT_SECRET: PSA_SECRET,
    ...overrides,
  };
}

/** Follows what a browser with `cookie` would do with an authorization URL: the first redirect's Location. */
export async function userAgentGet(url: string | URL, cookie?: string): Promise<Response> {
  return fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
}

export const basic = (id: string, secret: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`,
});

export type Host = DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
