// A per-client-IP budget of failed sign-ins on this instance (docs/auth.md): one address cannot make it hash forever.
import { nowMs } from "../clock";
import { settings } from "../config";
import { AppError } from "../errors";

export const IP_WINDOW_MS = 15 * 60 * 1000;
/** Addresses remembered at once; the least recently failing one is forgotten first (memory stays bounded). */
const MAX_ADDRESSES = 10_000;

/** Failure times per address, oldest first; Map order is the eviction order (re-inserted on every failure). */
const failures = new Map<string, number[]>();

const recent = (address: string, now: number): number[] =>
  (failures.get(address) ?? []).filter((at) => at > now - IP_WINDOW_MS);

/**
 * Refuses (429 with Retry-After) a sign-in from an address whose failures used up the budget, before any
 * password work. An unknown address (no front end in between) is not budgeted: the KDF queue still bounds it.
 */
export function checkIpBudget(address: string | null): void {
  if (address === null) return;
  const now = nowMs();
  const times = recent(address, now);
  if (times.length < settings().HUB_LOGIN_FAILURES_PER_IP) return;
  const retryAfterMs = times[times.length - settings().HUB_LOGIN_FAILURES_PER_IP]! + IP_WINDOW_MS - now;
  throw new AppError("auth.rate_limited", "Too many failed sign-ins from this address; try again later.", {
    retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  });
}

/** Counts a failed sign-in against the address. */
export function recordIpFailure(address: string | null): void {
  if (address === null) return;
  const now = nowMs();
  const times = recent(address, now);
  times.push(now);
  failures.delete(address);
  failures.set(address, times.slice(-settings().HUB_LOGIN_FAILURES_PER_IP));
  if (failures.size > MAX_ADDRESSES) failures.delete(failures.keys().next().value!);
}
