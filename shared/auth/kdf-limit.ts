// Bounds the password-hashing work one instance does at once (docs/auth.md): a small queue, then 503.
import { concurrencyLimit } from "../concurrency-limit";
import { AppError } from "../errors";

/**
 * scrypt runs on libuv's thread pool (4 threads by default), which file, DNS and other crypto work share: two
 * hashes at once leave room for the rest, and a short queue absorbs a burst of real sign-ins. Beyond that the
 * caller is told to come back, instead of every request of every tenant waiting behind a flood of guesses.
 */
export const KDF_CONCURRENCY = 2;
export const KDF_QUEUE = 8;
export const KDF_RETRY_AFTER_SECONDS = 2;

const kdfSlot = concurrencyLimit(KDF_CONCURRENCY, {
  maxWaiting: KDF_QUEUE,
  whenFull: () =>
    new AppError("service.busy", "Too many sign-ins are being checked right now; try again shortly.", {
      retryAfter: KDF_RETRY_AFTER_SECONDS,
    }),
});

/** Runs `work` when a slot is free; throws `service.busy` (503 with Retry-After) when the queue is full. */
export function withKdfSlot<T>(work: () => Promise<T>): Promise<T> {
  return kdfSlot(work);
}
