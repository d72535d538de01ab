// The sign-in page (docs/sso.md): labelled fields, one uniform error, the lockout with when to retry; no script.
import type { Cookie, HttpResponseInit } from "@azure/functions";
import { escapeHtml, htmlPage } from "../pages/layout";
import { FORM_TOKEN_FIELD } from "./form-token";
import { SIGNIN_PATH } from "./signin-return";

export interface SignInView {
  status: number;
  /** The step this form submits (`password`; a later step such as a second factor adds its own fields). */
  step: string;
  /** The step's own labelled inputs (HTML built by the step, values escaped). */
  fields: string;
  submitLabel: string;
  formToken: string;
  formCookie: Cookie;
  returnTo: string | null;
  /** An origin the answer may redirect to after the post (the product's redirect URI). */
  redirectOrigin: string | null;
  error?: string;
  headers?: Record<string, string>;
  cookies?: Cookie[];
}

export function signInPage(view: SignInView): HttpResponseInit {
  const hidden = {
    step: view.step,
    [FORM_TOKEN_FIELD]: view.formToken,
    ...(view.returnTo ? { return_to: view.returnTo } : {}),
  };
  const hiddenInputs = Object.entries(hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
  const page = htmlPage(
    view.status,
    "Sign in to Hub",
    `<h1>Sign in to Hub</h1>
${view.error ? `<p class="alert" role="alert">${escapeHtml(view.error)}</p>` : ""}
<form method="post" action="${SIGNIN_PATH}">${hiddenInputs}
${view.fields}
<div class="actions"><button type="submit">${escapeHtml(view.submitLabel)}</button></div>
</form>
<p class="note">Hub signs you in to every product of The One Stack.</p>`,
    {
      formActions: view.redirectOrigin ? [view.redirectOrigin] : [],
      cookies: [view.formCookie, ...(view.cookies ?? [])],
    },
  );
  return { ...page, headers: { ...(page.headers as Record<string, string>), ...view.headers } };
}

/** The password step's fields; the email is kept after a failed attempt, the password never. */
export function passwordFields(email = ""): string {
  return `<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required maxlength="320" value="${escapeHtml(email)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">`;
}

/**
 * The second step's fields: the challenge the password step earned (hidden), and one field for the app's code or
 * a recovery code. `one-time-code` lets a phone offer the code; no pattern, as a recovery code has letters.
 */
export function totpFields(challenge: string): string {
  return `<input type="hidden" name="challenge" value="${escapeHtml(challenge)}">
<p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
<label for="code">Code</label><input id="code" name="code" type="text" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" required maxlength="64" autofocus>`;
}

export function signedInPage(cookies: Cookie[]): HttpResponseInit {
  return htmlPage(
    200,
    "Signed in",
    `<h1>Signed in</h1><p>You are signed in to Hub.</p><p class="note">You can close this page.</p>`,
    {
      cookies,
    },
  );
}
