// The pages behind a reset link (docs/auth.md, "Password reset"): the form, its errors, done, and dead links; no script.
import type { Cookie, HttpResponseInit } from "@azure/functions";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../auth/password-policy";
import { FORM_TOKEN_FIELD } from "../oauth/form-token";
import { SIGNIN_PATH } from "../oauth/signin-return";
import { escapeHtml, htmlPage } from "../pages/layout";
import { RESET_LINK_MINUTES } from "./reset-mail";

export interface ResetFormView {
  status: number;
  /** The form posts back to the link itself. */
  action: string;
  email: string;
  formToken: string;
  formCookie: Cookie;
  /** What is wrong with the last attempt, one line each (the password rules' own words). */
  errors?: string[];
}

const RULES = `At least ${PASSWORD_MIN_LENGTH} characters (at most ${PASSWORD_MAX_LENGTH}), not a common password, and not the part of your email address before the @.`;

export function resetFormPage(view: ResetFormView): HttpResponseInit {
  const errors = view.errors?.length
    ? `<div class="alert" role="alert"><p>The password was not changed:</p><ul>${view.errors
        .map((error) => `<li>${escapeHtml(error)}</li>`)
        .join("")}</ul></div>`
    : "";
  return htmlPage(
    view.status,
    "Choose a new password",
    `<h1>Choose a new password</h1>
<p>For <strong>${escapeHtml(view.email)}</strong>.</p>
${errors}
<form method="post" action="${escapeHtml(view.action)}">
<input type="hidden" name="${FORM_TOKEN_FIELD}" value="${escapeHtml(view.formToken)}">
<input type="hidden" name="username" autocomplete="username" value="${escapeHtml(view.email)}">
<label for="password">New password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH * 2}" aria-describedby="rules">
<label for="password_confirm">The same again</label>
<input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password" required maxlength="${PASSWORD_MAX_LENGTH * 2}">
<p class="note" id="rules">${escapeHtml(RULES)}</p>
<div class="actions"><button type="submit">Set the new password</button></div>
</form>
<p class="note">Setting it signs you out of Hub and every product, on every device.</p>`,
    { cookies: [view.formCookie] },
  );
}

export function resetDonePage(): HttpResponseInit {
  return htmlPage(
    200,
    "Password changed",
    `<h1>Password changed</h1><p>Your new password is set, and every earlier sign-in has ended.</p>
<p><a href="${SIGNIN_PATH}">Sign in to Hub</a> with it.</p>`,
  );
}

export type DeadLinkReason = "expired" | "used";

export function resetGonePage(reason: DeadLinkReason): HttpResponseInit {
  const why =
    reason === "expired"
      ? "This password reset link has expired."
      : "This password reset link has already been used or replaced.";
  return htmlPage(
    410,
    "Link no longer valid",
    `<h1>Link no longer valid</h1><p>${why}</p><p>Ask for a new link where you asked for this one: each link works once, for ${RESET_LINK_MINUTES} minutes.</p>`,
  );
}

export function resetNotFoundPage(): HttpResponseInit {
  return htmlPage(
    404,
    "Link not found",
    `<h1>Link not found</h1><p>This password reset link is not valid. Check that the whole link was copied.</p>`,
  );
}
