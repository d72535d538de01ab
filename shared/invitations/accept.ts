// GET and POST /api/invitations/{token}: the invited person sets their password and is signed in (docs/identity.md).
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { forgetUser } from "../auth/auth-state";
import { hashPassword } from "../auth/password";
import { passwordProblems } from "../auth/password-policy";
import { signIn } from "../auth/login";
import { sessionCookie } from "../auth/session";
import { now } from "../clock";
import { isAppError } from "../errors";
import { clientIp, userAgentOf } from "../http/client-ip";
import type { OrgDoc, UserDoc } from "../identity/model";
import { claimEmail, emailSignsInAsAnother, readOrg, readUser, releaseEmail } from "../identity/repository";
import { linkIdOf, openUserLink, useUserLink } from "../links/link-record";
import type { UserLinkDoc } from "../links/link-record";
import type { Logger } from "../log";
import { formToken, formTokenMatches } from "../oauth/form-token";
import type { WithEtag } from "../store/repository";
import {
  acceptedPage,
  cannotSignInPage,
  gonePage,
  notFoundPage,
  otherAccountPage,
  setPasswordPage,
} from "./page";

type Resolved =
  | { ok: true; record: WithEtag<UserLinkDoc>; user: WithEtag<UserDoc>; org: OrgDoc }
  | { ok: false; response: HttpResponseInit };

/** The signature and expiry first (no I/O for garbage), then the link's record, its user and their invitation. */
async function resolveInvitation(token: string): Promise<Resolved> {
  const opened = await openUserLink("invitation", token);
  if (!opened.ok)
    return { ok: false, response: opened.reason === "not_found" ? notFoundPage() : gonePage(opened.reason) };
  const { record } = opened;
  const user = await readUser(record.org_id, record.user_id);
  const invitation = user?.invitation;
  // A resend or a revocation retires the old record too; the user's own invitation is the last word.
  if (!user || user.password_hash !== undefined || invitation?.link_id !== linkIdOf(record))
    return { ok: false, response: gonePage("used") };
  if (invitation.status !== "pending") return { ok: false, response: gonePage("used") };
  const org = await readOrg(record.org_id);
  if (!org || org.status !== "active" || user.status !== "active")
    return { ok: false, response: cannotSignInPage() };
  return { ok: true, record, user, org };
}

function form(
  request: HttpRequest,
  resolved: Extract<Resolved, { ok: true }>,
  status: number,
  error?: string,
  headers?: Record<string, string>,
): HttpResponseInit {
  const { token, cookie } = formToken(request);
  return setPasswordPage({
    status,
    orgName: resolved.org.name,
    email: resolved.user.email,
    expiresAt: resolved.user.invitation!.expires_at,
    formToken: token,
    formCookie: cookie,
    error,
    headers,
  });
}

/** GET changes nothing: mail scanners fetch links. */
export async function showInvitation(request: HttpRequest, token: string): Promise<HttpResponseInit> {
  const resolved = await resolveInvitation(token);
  if (!resolved.ok) return resolved.response;
  if (await emailSignsInAsAnother(resolved.user.email, resolved.user.user_id))
    return otherAccountPage(resolved.org.name);
  return form(request, resolved, 200);
}

export async function acceptInvitation(
  request: HttpRequest,
  token: string,
  fields: Record<string, string>,
  log: Logger,
): Promise<HttpResponseInit> {
  const resolved = await resolveInvitation(token);
  if (!resolved.ok) return resolved.response;
  const { user, org } = resolved;
  // The page GET showed: the person learns it whatever they post.
  if (await emailSignsInAsAnother(user.email, user.user_id)) return otherAccountPage(org.name);
  if (!formTokenMatches(request, fields.form_token))
    return form(request, resolved, 403, "This form has expired. Please enter your password again.");
  const password = fields.password ?? "";
  // The rules of every password (docs/auth.md); the hash is made below, after the other checks.
  const problems = await passwordProblems(password, user.email);
  if (problems.length > 0) return form(request, resolved, 422, `The password ${problems.join(", and ")}.`);

  let passwordHash: string;
  try {
    passwordHash = await hashPassword(password);
  } catch (error) {
    if (!isAppError(error) || error.code !== "service.busy") throw error;
    const seconds = String(Math.ceil(error.options.retryAfter ?? 5));
    return form(request, resolved, 503, "Hub is busy. Try again in a few seconds.", {
      "retry-after": seconds,
    });
  }

  // The email becomes this user's for sign-in now, and only now: before, another org's invitation could win it.
  try {
    await claimEmail(user.email, user.user_id, user.org_id, now());
  } catch (error) {
    if (isAppError(error) && error.code === "resource.conflict") return otherAccountPage(org.name);
    throw error;
  }

  const { _etag, invitation, ...stored } = user;
  void invitation;
  const accepted: UserDoc = {
    ...stored,
    password_hash: passwordHash,
    version: (user.version ?? 0) + 1,
    updated_at: now().toISOString(),
  };
  let cookieValue: string;
  try {
    // Under the user's ETag: of two submits of one link, or a submit racing a revocation, one wins.
    const signedIn = await signIn(
      accepted,
      org,
      { ip: clientIp(request), user_agent: userAgentOf(request) },
      ["pwd"],
      [{ operationType: "Replace", id: user.id, resourceBody: { ...accepted }, ifMatch: _etag }],
      log,
    );
    cookieValue = signedIn.cookieValue;
  } catch (error) {
    if (!isAppError(error) || error.code !== "precondition.failed") throw error;
    // Whoever won: if it set no password (a revocation, a resend), the email must not stay claimed.
    if ((await readUser(user.org_id, user.user_id))?.password_hash === undefined)
      await releaseEmail(user.email).catch(() => undefined);
    const current = await resolveInvitation(token);
    return current.ok
      ? form(request, current, 409, "Something changed meanwhile. Please try again.")
      : current.response;
  }
  forgetUser(user.org_id, user.user_id);
  await useUserLink(resolved.record);
  log.info("invitation accepted", { org_id: user.org_id, user_id: user.user_id });
  return acceptedPage(org.name, [sessionCookie(cookieValue)]);
}
