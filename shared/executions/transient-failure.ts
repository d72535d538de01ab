// Which failures of the fan-out pass by themselves (the store or Durable unavailable), so the batch is redelivered.
import { isAppError } from "../errors";
import type { AppErrorCode } from "../errors";
import { isUnavailable } from "../store/store-errors";

const TRANSIENT_CODES: ReadonlySet<AppErrorCode> = new Set([
  "store.unavailable",
  "bus.unavailable",
  "service.busy",
]);

/** How durable-functions' client reports a status it did not expect (`DurableClient.createGenericError`). */
const DURABLE_STATUS = /unexpected status code: (\d{3})\b/;

/**
 * True for a failure a later delivery can get past: the store unavailable, Durable's HTTP API answering 429 or
 * 5xx or not answering at all. Anything else is a problem of the message itself (docs/events.md, "Delivery").
 */
export function isTransientFailure(error: unknown): boolean {
  if (isAppError(error)) return TRANSIENT_CODES.has(error.code);
  const status = error instanceof Error ? DURABLE_STATUS.exec(error.message)?.[1] : undefined;
  if (status) return status === "429" || status.startsWith("5");
  // axios (under the durable client) throws without a response when the connection itself failed.
  const axios = error as { isAxiosError?: unknown; response?: unknown } | null;
  if (axios?.isAxiosError === true && axios.response === undefined) return true;
  return isUnavailable(error);
}
