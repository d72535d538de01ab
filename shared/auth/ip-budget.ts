// A per-client-IP budget of failed sign-ins on this instance (docs/auth.md): one address cannot make it hash forever.
import { nowMs } from "../clock";
import { settings } from "../config";
import { AppError } from "../errors";
import { SlidingWindowCounter } from "./sliding-window";

export const IP_WINDOW_MS = 15 * 60 * 1000;

const failures = new SlidingWindowCounter(IP_WINDOW_MS);

/**
 * Refuses (429 with Retry-After) a sign-in from an address whose failures used up the budget, before any
 * password work. An unknown address (no front end in between) is not budgeted: the KDF queue still bounds it.
 */
export function checkIpBudget(address: string | null): void {
  if (address === null) return;
  const retryAfter = failures.retryAfterSeconds(address, settings().HUB_LOGIN_FAILURES_PER_IP, nowMs());
  if (retryAfter === 0) return;
  throw new AppError("auth.rate_limited", "Too many failed sign-ins from this address; try again later.", {
    retryAfter,
  });
}

/** Counts a failed sign-in against the address. */
export function recordIpFailure(address: string | null): void {
  if (address === null) return;
  failures.record(address, settings().HUB_LOGIN_FAILURES_PER_IP, nowMs());
}
