// RetryOptions backoff, as the Durable Task Framework's RetryInterceptor computes it.
import type { WireRetryOptions } from "./actions";

/**
 * The wait after the `failedAttempts`-th failure: firstRetryInterval × backoffCoefficient^(failedAttempts − 1),
 * capped at maxRetryInterval; `undefined` once retryTimeout (counted from the first attempt) has passed, which
 * is when the framework stops retrying and rethrows the last failure.
 */
export function retryDelayMs(
  options: WireRetryOptions,
  failedAttempts: number,
  firstAttemptAtMs: number,
  nowMs: number,
): number | undefined {
  const timeout = options.retryTimeoutInMilliseconds;
  if (timeout !== undefined && timeout > 0 && nowMs >= firstAttemptAtMs + timeout) return undefined;
  const coefficient = options.backoffCoefficient ?? 1;
  const delay = options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, failedAttempts - 1);
  const cap = options.maxRetryIntervalInMilliseconds;
  return cap !== undefined && cap > 0 ? Math.min(delay, cap) : delay;
}
