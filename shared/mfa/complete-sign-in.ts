// The second step of sign-in (docs/auth.md): a challenge and a code (or recovery code) → the session, amr pwd+otp.
import { AppError, isAppError } from "../errors";
import { readOrg, readUser } from "../identity/repository";
import { normalizeEmail } from "../identity/model";
import type { Logger } from "../log";
import { checkIpBudget, recordIpFailure } from "../auth/ip-budget";
import { clearAttemptsOperation, lockoutKeyFor, reserveAttempt } from "../auth/lockout";
import type { LoginAttempt, SignedIn } from "../auth/login";
import { recordFailure, signIn } from "../auth/login";
import { challengeGone, consumeChallengeOperation, liveChallenge } from "./challenge";
import { readActiveFactor, replaceFactorOperation } from "./factor-store";
import type { SecondFactorProof } from "./verify-factor";
import { acceptProof } from "./verify-factor";

export interface SecondFactorAttempt extends Pick<LoginAttempt, "ip" | "user_agent"> {
  challenge: string;
  proof: SecondFactorProof;
}

const wrongCode = () => new AppError("auth.invalid_credentials", "The code is incorrect.");

/**
 * Every wrong code counts against the account's lockout (the same counter as wrong passwords), so a stolen password
 * buys at most a handful of guesses at the code per lock period.
 */
export async function completeSecondFactor(attempt: SecondFactorAttempt, log: Logger): Promise<SignedIn> {
  checkIpBudget(attempt.ip);
  const challenge = await liveChallenge(attempt.challenge);
  const [user, org] = await Promise.all([
    readUser(challenge.org_id, challenge.user_id),
    readOrg(challenge.org_id),
  ]);
  if (user?.status !== "active" || org?.status !== "active") {
    throw new AppError("auth.forbidden", "This account cannot sign in.");
  }
  const email = normalizeEmail(user.email);
  const lockoutKey = lockoutKeyFor(user, email);
  const reservation = await reserveAttempt(lockoutKey);
  if (reservation.locked) {
    recordIpFailure(attempt.ip);
    await recordFailure(attempt, email, "locked", false, user, log);
    throw new AppError("auth.rate_limited", "Too many failed sign-ins; the account is locked for a while.", {
      retryAfter: reservation.retryAfterSeconds,
    });
  }
  const failed = async () => {
    recordIpFailure(attempt.ip);
    await recordFailure(attempt, email, "bad_code", reservation.startsLock, user, log);
    return wrongCode();
  };
  // Reset by an admin since the password step: nothing to check the code against, so start again.
  const factor = await readActiveFactor(user.org_id, user.user_id);
  if (!factor) throw challengeGone();
  const next = acceptProof(factor, attempt.proof);
  if (!next) throw await failed();
  try {
    return await signIn(
      user,
      org,
      attempt,
      ["pwd", "otp"],
      [
        clearAttemptsOperation(lockoutKey),
        consumeChallengeOperation(challenge),
        replaceFactorOperation(factor, next),
      ],
      log,
    );
  } catch (error) {
    // Another request used this step, recovery code or challenge first: the replay fails like a wrong code.
    if (isAppError(error) && ["precondition.failed", "resource.conflict"].includes(error.code)) {
      throw await failed();
    }
    throw error;
  }
}
