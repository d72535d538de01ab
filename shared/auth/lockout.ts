// Per-account lockout (docs/auth.md): 5 failures within 15 minutes lock the account for 15 minutes.
import type { OperationInput } from "@azure/cosmos";
import { nowMs } from "../clock";
import { AppError } from "../errors";
import { GLOBAL_PARTITION, emailIndexId } from "../identity/model";
import type { WithEtag } from "../store/repository";
import { TenantRepository } from "../store/repository";

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;
export const LOCK_MS = 15 * 60 * 1000;

/**
 * Attempts counted against one account. An attempt is counted *before* the password is checked (and
 * forgotten again on success), under optimistic concurrency, so parallel guesses cannot slip past the limit.
 */
export interface LockoutDoc {
  id: string;
  org_id: string;
  type: "lockout";
  attempts: number[];
  locked_until_ms: number;
  ttl: number;
}

/** Where an account's counter lives: the user's partition, or the global one for an email with no user. */
export interface LockoutKey {
  partition: string;
  id: string;
}

export const lockoutKeyFor = (user: { org_id: string; user_id: string } | null, email: string): LockoutKey =>
  user
    ? { partition: user.org_id, id: `lockout:${user.user_id}` }
    : { partition: GLOBAL_PARTITION, id: `lockout:${emailIndexId(email)}` };

const lockouts = new TenantRepository<LockoutDoc>("identity");

/**
 * `startsLock`: this attempt is the one that locks the account should it fail (exactly one attempt per lock, as
 * the counter is written under optimistic concurrency), so the user is told once per lock, not once per guess.
 */
export type Reservation =
  { locked: true; retryAfterSeconds: number } | { locked: false; startsLock: boolean };

/** Counts an attempt, or answers that the account is locked (without counting). */
export async function reserveAttempt(key: LockoutKey): Promise<Reservation> {
  for (let round = 0; round < 8; round++) {
    const now = nowMs();
    const existing = await lockouts.read(key.partition, key.id);
    if (existing && existing.locked_until_ms > now) {
      return { locked: true, retryAfterSeconds: Math.ceil((existing.locked_until_ms - now) / 1000) };
    }
    const attempts = [...(existing?.attempts ?? []).filter((at) => at > now - WINDOW_MS), now];
    const doc: LockoutDoc = {
      id: key.id,
      org_id: key.partition,
      type: "lockout",
      attempts: attempts.slice(-MAX_FAILURES),
      locked_until_ms: attempts.length >= MAX_FAILURES ? now + LOCK_MS : 0,
      ttl: (WINDOW_MS + LOCK_MS) / 1000,
    };
    if (await write(doc, existing)) return { locked: false, startsLock: doc.locked_until_ms > 0 };
  }
  throw new AppError("auth.rate_limited", "Too many sign-in attempts; try again shortly.", { retryAfter: 5 });
}

async function write(doc: LockoutDoc, existing: WithEtag<LockoutDoc> | null): Promise<boolean> {
  if (!existing) return (await lockouts.createIfAbsent(doc)) !== null;
  try {
    await lockouts.replace(doc, existing._etag);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === "precondition.failed") return false;
    throw error;
  }
}

/** The operation that forgets the account's attempts after a successful sign-in (part of the login batch). */
export const clearAttemptsOperation = (key: LockoutKey): OperationInput => ({
  operationType: "Upsert",
  resourceBody: {
    id: key.id,
    org_id: key.partition,
    type: "lockout",
    attempts: [],
    locked_until_ms: 0,
    ttl: 60,
  },
});
