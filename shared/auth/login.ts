// Sign-in (docs/auth.md): lockout, password check, the session, and a login event for every attempt.
import type { HubEventData } from "../events/hub-events";
import type { OperationInput } from "@azure/cosmos";
import { now } from "../clock";
import { AppError } from "../errors";
import { newCloudEvent } from "../events/cloud-event";
import { commitWithEvents } from "../events/outbox";
import { readOrg, findUserByEmail } from "../identity/repository";
import type { OrgDoc, UserDoc } from "../identity/model";
import { GLOBAL_PARTITION, normalizeEmail } from "../identity/model";
import type { Logger } from "../log";
import { checkIpBudget, recordIpFailure } from "./ip-budget";
import { clearAttemptsOperation, lockoutKeyFor, reserveAttempt } from "./lockout";
import { dummyHash, verifyAgainstDummy, verifyPassword } from "./password";
import { newSession } from "./session";

export interface LoginAttempt {
  email: string;
  password: string;
  ip: string | null;
  user_agent: string | null;
}

export type LoginFailureReason = HubEventData<"hub.auth.login_failed">["reason"];

export interface LoginResult {
  user: UserDoc;
  org: OrgDoc;
  cookieValue: string;
}

/** The same answer for an unknown email and a wrong password, so neither is told apart. */
const badCredentials = () => new AppError("auth.invalid_credentials", "The email or password is incorrect.");

void dummyHash();

export async function login(attempt: LoginAttempt, log: Logger): Promise<LoginResult> {
  checkIpBudget(attempt.ip);
  const email = normalizeEmail(attempt.email);
  const found = await findUserByEmail(email);
  const lockoutKey = lockoutKeyFor(found, email);
  let lockStarted = false;
  const failed = (reason: LoginFailureReason, user: UserDoc | null) => {
    recordIpFailure(attempt.ip);
    return recordFailure(attempt, email, reason, lockStarted, user, log);
  };

  const reservation = await reserveAttempt(lockoutKey);
  if (reservation.locked) {
    await failed("locked", found);
    throw new AppError("auth.rate_limited", "Too many failed sign-ins; the account is locked for a while.", {
      retryAfter: reservation.retryAfterSeconds,
    });
  }

  lockStarted = reservation.startsLock;
  const passwordOk =
    found?.password_hash !== undefined
      ? await verifyPassword(attempt.password, found.password_hash)
      : await verifyAgainstDummy(attempt.password);
  if (!found || !passwordOk) {
    await failed("bad_credentials", found);
    throw badCredentials();
  }

  // Only someone who knows the password learns that the account or its org cannot sign in.
  const org = await readOrg(found.org_id);
  if (found.status !== "active" || !org || org.status !== "active") {
    await failed("deactivated", found);
    throw new AppError("auth.forbidden", "This account cannot sign in.");
  }

  const session = newSession(found.org_id, found.user_id);
  const success = newCloudEvent<HubEventData<"hub.auth.login_success">>(
    {
      type: "hub.auth.login_success",
      orgid: found.org_id,
      subject: found.user_id,
      data: { user_id: found.user_id, email, ip: attempt.ip, user_agent: attempt.user_agent },
    },
    now(),
  );
  const operations: OperationInput[] = [session.operation, clearAttemptsOperation(lockoutKey)];
  await commitWithEvents("identity", found.org_id, operations, [success], log);
  return { user: found, org, cookieValue: session.cookieValue };
}

/**
 * The failure event, in the user's partition when the email names a user, else in the global one. Every failure
 * is published (Defend needs each one); `lock_started` marks the one failure that locked the account.
 */
async function recordFailure(
  attempt: LoginAttempt,
  email: string,
  reason: LoginFailureReason,
  lockStarted: boolean,
  user: UserDoc | null,
  log: Logger,
): Promise<void> {
  const partition = user?.org_id ?? GLOBAL_PARTITION;
  const event = newCloudEvent<HubEventData<"hub.auth.login_failed">>(
    {
      type: "hub.auth.login_failed",
      orgid: partition,
      subject: user?.user_id,
      data: { email, reason, lock_started: lockStarted, ip: attempt.ip, user_agent: attempt.user_agent },
    },
    now(),
  );
  await commitWithEvents("identity", partition, [], [event], log);
}
