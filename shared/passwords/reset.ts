// GET and POST /api/auth/password/reset/{token} (docs/auth.md, "Password reset"): the link's page and its form.
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { hashAllowedPassword, passwordProblems } from "../auth/password-policy";
import { isAppError } from "../errors";
import { clientIp, userAgentOf } from "../http/client-ip";
import type { UserDoc } from "../identity/model";
import { readOrg, readUser } from "../identity/repository";
import type { UserLinkDoc } from "../links/link-record";
import { openUserLink, useUserLink } from "../links/link-record";
import type { Logger } from "../log";
import { formToken, formTokenMatches } from "../oauth/form-token";
import type { WithEtag } from "../store/repository";
import { resetPath } from "./reset-mail";
import { resetDonePage, resetFormPage, resetGonePage, resetNotFoundPage } from "./reset-page";
import { setNewPassword } from "./set-password";

type Opened =
  { ok: true; record: WithEtag<UserLinkDoc>; user: UserDoc } | { ok: false; response: HttpResponseInit };

/** A link issued before the password last changed (by another link, or while signed in) is dead. */
const predates = (record: UserLinkDoc, user: Pick<UserDoc, "password_changed_at">) =>
  user.password_changed_at !== undefined &&
  Date.parse(record.created_at) <= Date.parse(user.password_changed_at);

/** The signature and expiry first (no I/O for garbage), then the record, then its user: active, in an active org. */
async function openResetLink(token: string): Promise<Opened> {
  const opened = await openUserLink("password_reset", token);
  if (!opened.ok)
    return {
      ok: false,
      response: opened.reason === "not_found" ? resetNotFoundPage() : resetGonePage(opened.reason),
    };
  const { record } = opened;
  const [user, org] = await Promise.all([readUser(record.org_id, record.user_id), readOrg(record.org_id)]);
  // A user deactivated (or an org suspended) since the link was sent keeps the email, not the right to use it.
  if (!user || user.status !== "active" || org?.status !== "active" || predates(record, user))
    return { ok: false, response: resetGonePage("used") };
  return { ok: true, record, user };
}

function form(request: HttpRequest, token: string, user: UserDoc, status = 200, errors?: string[]) {
  const { token: formTokenValue, cookie } = formToken(request);
  return resetFormPage({
    status,
    action: resetPath(token),
    email: user.email,
    formToken: formTokenValue,
    formCookie: cookie,
    errors,
  });
}

/** GET changes nothing: mail scanners fetch links. */
export async function showResetPage(request: HttpRequest, token: string): Promise<HttpResponseInit> {
  const opened = await openResetLink(token);
  return opened.ok ? form(request, token, opened.user) : opened.response;
}

export async function submitReset(
  request: HttpRequest,
  token: string,
  fields: Record<string, string | undefined>,
  log: Logger,
): Promise<HttpResponseInit> {
  const opened = await openResetLink(token);
  if (!opened.ok) return opened.response;
  const { record, user } = opened;
  if (!formTokenMatches(request, fields.form_token))
    return form(request, token, user, 403, ["This form has expired. Please enter the new password again."]);
  const password = fields.password ?? "";
  if (fields.password_confirm !== undefined && fields.password_confirm !== password)
    return form(request, token, user, 422, ["The two passwords are not the same."]);
  const problems = await passwordProblems(password, user.email);
  if (problems.length > 0)
    return form(
      request,
      token,
      user,
      422,
      problems.map((problem) => `The password ${problem}.`),
    );
  // Hashed before the link is spent, so a busy instance (503) leaves the link usable.
  const passwordHash = await hashAllowedPassword(password, user.email);
  // Single use: the record is marked used (under its ETag) before the password changes, so two submissions of
  // one link change it once.
  if (!(await useUserLink(record))) return resetGonePage("used");
  try {
    await setNewPassword(
      {
        user,
        passwordHash,
        via: "reset",
        keepSession: null,
        client: { ip: clientIp(request), user_agent: userAgentOf(request) },
        assertStillAllowed: (current) => {
          if (predates(record, current)) throw new GoneLink();
        },
      },
      log,
    );
  } catch (error) {
    if (error instanceof GoneLink || (isAppError(error) && error.code === "resource.gone"))
      return resetGonePage("used");
    throw error;
  }
  return resetDonePage();
}

/** Another reset or change won the race since the link was opened. */
class GoneLink extends Error {}
