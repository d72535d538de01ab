// Sign-in (docs/auth.md): lockout, password check, a second-factor challenge or the session, and a login event for every attempt.
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
import type { AuthMethod } from "./session";
import { newSession } from "./session";
import { createChallenge } from "../mfa/challenge";
import { readActiveFactor } from "../mfa/factor-store";

export interface LoginAttempt {
  email: string;
  password: string;
  ip: string | null;
  user_agent: string | null;
}

export type LoginFailureReason = HubEventData<"hub.auth.login_failed">["reason"];

export interface SignedIn {
  kind: "signed_in";
  user: UserDoc;
  org: OrgDoc;
  cookieValue: string;
}

/** The password was right and the user has a second factor: no session yet, a challenge for the code. */
export interface SecondFactorRequired {
  kind: "mfa_required";
  challenge: string;
}

export type LoginResult = SignedIn | SecondFactorRequired;

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

  // The password's attempt stays counted until the code is right too: guesses at the code share the lockout.
  if (await readActiveFactor(found.org_id, found.user_id)) {
    return { kind: "mfa_required", challenge: await createChallenge(found) };
  }
  return signIn(found, org, attempt, ["pwd"], [clearAttemptsOperation(lockoutKey)], log);
}

/** Creates the session with `amr` and publishes `hub.auth.login_success`, with `operations` in the same batch. */
export async function signIn(
  user: UserDoc,
  org: OrgDoc,
  client: Pick<LoginAttempt, "ip" | "user_agent">,
  amr: AuthMethod[],
  operations: OperationInput[],
  log: Logger,
): Promise<SignedIn> {
  const session = newSession(user.org_id, user.user_id, amr);
  const success = newCloudEvent<HubEventData<"hub.auth.login_success">>(
    {
      type: "hub.auth.login_success",
      orgid: user.org_id,
      subject: user.user_id,
      data: {
        user_id: user.user_id,
        email: normalizeEmail(user.email),
        ip: client.ip,
        user_agent: client.user_agent,
      },
    },
    now(),
  );
  await commitWithEvents("identity", user.org_id, [session.operation, ...operations], [success], log);
  return { kind: "signed_in", user, org, cookieValue: session.cookieValue };
}

/**
 * The failure event, in the user's partition when the email names a user, else in the global one. Every failure
 * is published (Defend needs each one); `lock_started` marks the one failure that locked the account.
 */
export async function recordFailure(
  attempt: Pick<LoginAttempt, "ip" | "user_agent">,
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
