// Maps what the Cosmos SDK throws to AppErrors: outages become 503, never a hang or a 500.
import { AppError, isAppError } from "../errors";

const UNAVAILABLE_STATUS = new Set([408, 429, 449, 500, 502, 503, 504]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_SOCKET",
]);

export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

/** An outage's shape: a status that passes with time, or a connection that failed or timed out. */
export function isUnavailable(error: unknown): boolean {
  const status = statusCodeOf(error);
  if (status !== undefined) return UNAVAILABLE_STATUS.has(status);
  const err = error as { code?: unknown; name?: unknown; cause?: unknown } | null;
  if (typeof err?.code === "string" && NETWORK_CODES.has(err.code)) return true;
  if (err?.name === "TimeoutError" || err?.name === "AbortError") return true;
  return err?.cause !== undefined && isUnavailable(err.cause);
}

/** Rethrows a store failure as the AppError the pipeline understands. */
export function toStoreError(error: unknown): unknown {
  if (isAppError(error)) return error;
  if (isUnavailable(error)) {
    return new AppError("store.unavailable", "The data store is unavailable; try again shortly.", {
      retryAfter: 5,
      cause: error,
    });
  }
  return error;
}
