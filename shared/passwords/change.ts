// POST /api/auth/password/change (docs/auth.md, "Password change"): the signed-in user, their current password, a new one.
import type { HttpRequest } from "@azure/functions";
import { z } from "zod";
import { checkIpBudget, recordIpFailure } from "../auth/ip-budget";
import { lockoutKeyFor, reserveAttempt } from "../auth/lockout";
import { verifyAgainstDummy, verifyPassword } from "../auth/password";
import { assertPasswordAllowed, hashAllowedPassword, passwordFieldSchema } from "../auth/password-policy";
import { currentSession } from "../auth/session";
import { AppError } from "../errors";
import { clientIp, userAgentOf } from "../http/client-ip";
import { readOrg, readUser } from "../identity/repository";
import type { Logger } from "../log";
import { setNewPassword } from "./set-password";

export const changeBodySchema = z.object({
  current_password: z.string().min(1).max(1024),
  new_password: passwordFieldSchema,
});
export type ChangeBody = z.infer<typeof changeBodySchema>;

const noSession = () =>
  new AppError("auth.missing_credential", "Sign in first: this needs a valid session cookie.");

/**
 * The new password's rules first (a 422 costs no guess), then the current password as a sign-in checks it: the
 * attempt counts toward the account's lockout before the check and a wrong one toward the address's budget. Then
 * the new password is stored and every other session ends with its tokens; this session stays.
 */
export async function changePassword(request: HttpRequest, body: ChangeBody, log: Logger): Promise<void> {
  const session = await currentSession(request);
  if (!session) throw noSession();
  const [user, org] = await Promise.all([readUser(session.org_id, session.user_id), readOrg(session.org_id)]);
  if (user?.status !== "active" || org?.status !== "active") throw noSession();
  const ip = clientIp(request);
  checkIpBudget(ip);
  await assertPasswordAllowed(body.new_password, user.email, "new_password");
  const reservation = await reserveAttempt(lockoutKeyFor(user, user.email));
  if (reservation.locked)
    throw new AppError("auth.rate_limited", "Too many failed attempts; the account is locked for a while.", {
      retryAfter: reservation.retryAfterSeconds,
    });
  const currentOk =
    user.password_hash !== undefined
      ? await verifyPassword(body.current_password, user.password_hash)
      : await verifyAgainstDummy(body.current_password);
  if (!currentOk) {
    recordIpFailure(ip);
    // 403, not 401: the session is fine, and a client must not take this for "sign in again".
    throw new AppError("auth.forbidden", "The current password is incorrect.", {
      errors: [{ path: "current_password", message: "is incorrect" }],
    });
  }
  const passwordHash = await hashAllowedPassword(body.new_password, user.email, "new_password");
  await setNewPassword(
    {
      user,
      passwordHash,
      via: "change",
      keepSession: session,
      client: { ip, user_agent: userAgentOf(request) },
    },
    log,
  );
}
