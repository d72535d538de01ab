// Calls a product's API with the org's agent service key (docs/auth.md): 429 and 5xx retried with backoff honouring Retry-After.
import { settings } from "../config";
import type { Settings } from "../config";
import { AppError } from "../errors";
import { forgetServiceKey, serviceKeyFor } from "../keys/service-keys";

export const PRODUCT_SLUGS = ["psa", "defend", "portal", "jarvis"] as const;
export type ProductSlug = (typeof PRODUCT_SLUGS)[number];

export const MAX_ATTEMPTS = 5;
const BASE_BACKOFF_MS = 250;
const MAX_WAIT_MS = 30_000;
const ATTEMPT_TIMEOUT_MS = 15_000;

export interface ProductCall {
  product: ProductSlug;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path on the product API, already resolved (e.g. /tickets/123/notes). */
  path: string;
  body?: unknown;
  orgId: string;
  /** Sent as X-Agent-Execution-Id when an agent execution makes the call. */
  executionId?: string;
  /** Sent as Idempotency-Key: the same operation always carries the same key (docs/executions.md). */
  idempotencyKey?: string;
}

export interface ProductResponse {
  status: number;
  body: unknown;
  attempts: number;
}

/** A call that will not succeed by retrying: a 4xx other than 429, or every attempt used. */
export class ProductCallError extends Error {
  override readonly name = "ProductCallError";
  constructor(
    message: string,
    readonly status: number | null,
    readonly body: unknown,
    readonly attempts: number,
  ) {
    super(message);
  }
}

export function productBaseUrl(product: ProductSlug, config: Settings = settings()): string {
  const key = `PRODUCT_${product.toUpperCase()}_BASE_URL` as keyof Settings;
  const value = config[key];
  if (typeof value !== "string" || !value) {
    throw new AppError("internal", `${String(key)} is not set: ${product} actions are disabled.`);
  }
  return value.replace(/\/+$/, "");
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 2_000);
  }
}

/**
 * The URL of a call, refused unless it stays under the product's base URL once parsed: `fetch` resolves dot
 * segments, so a path built from event data must not climb out of the API it was meant for.
 */
export function productUrl(product: ProductSlug, path: string): string {
  const base = productBaseUrl(product);
  const root = new URL(`${base}/`);
  const url = new URL(`${base}${path}`);
  if (!path.startsWith("/") || url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) {
    throw new ProductCallError(
      `refused: the request path leaves the ${product} API's base URL`,
      null,
      null,
      0,
    );
  }
  return url.href;
}

/** The headers of a product call; a dry run shows them with the key left out (`serviceKey` absent). */
export function productCallHeaders(call: ProductCall, serviceKey?: string): Record<string, string> {
  const headers: Record<string, string> = {
    "x-integration-key": serviceKey ?? "[the org's agent service key]",
    accept: "application/json",
  };
  if (call.executionId) headers["x-agent-execution-id"] = call.executionId;
  // Activities run at least once: a product that keeps the key's first answer turns a re-run into a no-op.
  if (call.idempotencyKey) headers["idempotency-key"] = call.idempotencyKey;
  if (call.body !== undefined) headers["content-type"] = "application/json";
  return headers;
}

export const productCallUrl = (call: ProductCall): string => productUrl(call.product, call.path);

export async function callProductApi(call: ProductCall): Promise<ProductResponse> {
  const url = productCallUrl(call);
  // Issued by Hub on first use; a call for an org without the product or `agents` is refused here (403).
  const headers = productCallHeaders(call, await serviceKeyFor(call.orgId, call.product));

  let lastError = "";
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let wait = BASE_BACKOFF_MS * 2 ** (attempt - 1);
    try {
      const response = await fetch(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      const body = await readBody(response);
      if (response.ok) return { status: response.status, body, attempts: attempt };
      if (response.status !== 429 && response.status < 500) {
        // The key this process reused may have been revoked or rotated elsewhere: the next call loads it afresh.
        if (response.status === 401) forgetServiceKey(call.orgId, call.product);
        throw new ProductCallError(
          `${call.product} answered ${response.status}`,
          response.status,
          body,
          attempt,
        );
      }
      lastError = `${call.product} answered ${response.status}`;
      wait = retryAfterMs(response.headers.get("retry-after")) ?? wait;
    } catch (error) {
      if (error instanceof ProductCallError) throw error;
      lastError = `${call.product} unreachable: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (attempt < MAX_ATTEMPTS) await sleep(Math.min(wait, MAX_WAIT_MS));
  }
  throw new ProductCallError(`${lastError} after ${MAX_ATTEMPTS} attempts`, null, null, MAX_ATTEMPTS);
}
