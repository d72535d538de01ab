// The invitation pages (docs/identity.md#invitations): set a password, or say plainly why the link cannot be used.
import type { Cookie, HttpResponseInit } from "@azure/functions";
import { FORM_TOKEN_FIELD } from "../oauth/form-token";
import { escapeHtml, htmlPage } from "../pages/layout";

export interface SetPasswordView {
  status: number;
  orgName: string;
  email: string;
  expiresAt: string;
  formToken: string;
  formCookie: Cookie;
  error?: string;
  headers?: Record<string, string>;
}

/** The form posts back to its own URL (no action attribute), so the token never appears in the page twice. */
export function setPasswordPage(view: SetPasswordView): HttpResponseInit {
  const page = htmlPage(
    view.status,
    "Join your team on Hub",
    `<h1>Join ${escapeHtml(view.orgName)} on Hub</h1>
<p>Choose a password to finish setting up your account.</p>
${view.error ? `<p class="alert" role="alert">${escapeHtml(view.error)}</p>` : ""}
<form method="post"><input type="hidden" name="${FORM_TOKEN_FIELD}" value="${escapeHtml(view.formToken)}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(view.email)}" readonly>
<label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="128" aria-describedby="rules">
<p class="note" id="rules">At least 12 characters; not a common password, and not containing your email's name.</p>
<div class="actions"><button type="submit">Set password and sign in</button></div>
</form>
<p class="note">This invitation works once and expires at ${escapeHtml(view.expiresAt)}.</p>`,
    { cookies: [view.formCookie] },
  );
  return { ...page, headers: { ...(page.headers as Record<string, string>), ...view.headers } };
}

export function acceptedPage(orgName: string, cookies: Cookie[]): HttpResponseInit {
  return htmlPage(
    200,
    "Welcome to Hub",
    `<h1>You're in</h1><p>Your password is set and you are signed in to Hub as a member of ${escapeHtml(orgName)}.</p>
<p class="note">From now on, sign in with your email and this password. You can close this page.</p>`,
    { cookies },
  );
}

export const notFoundPage = (): HttpResponseInit =>
  htmlPage(
    404,
    "Invitation not found",
    `<h1>Invitation not found</h1><p>This link is not valid. Check that you opened the whole link from your email.</p>`,
  );

const GONE: Record<"expired" | "used", { title: string; text: string }> = {
  expired: {
    title: "This invitation has expired",
    text: "Invitation links work for 7 days. Ask the person who invited you to send a new one.",
  },
  used: {
    title: "This invitation link no longer works",
    text: "It was already used, or a newer invitation replaced it, or it was withdrawn. If you set your password, sign in with it; otherwise ask the person who invited you to send a new invitation.",
  },
};

export const gonePage = (reason: "expired" | "used"): HttpResponseInit =>
  htmlPage(410, GONE[reason].title, `<h1>${GONE[reason].title}</h1><p>${GONE[reason].text}</p>`);

/**
 * One email signs in to one org (docs/identity.md#invitations). Only the holder of the link sees this; the inviting
 * admin sees the invitation as not accepted, nothing more.
 */
export const otherAccountPage = (orgName: string): HttpResponseInit =>
  htmlPage(
    409,
    "This email already has a Hub account",
    `<h1>This email already has a Hub account</h1>
<p>Your email address already signs in to Hub with another organization, and one address can belong to only one organization, so it cannot join ${escapeHtml(orgName)} as well.</p>
<p>Ask the person who invited you to invite another email address of yours. Nothing was changed, and the other organization was not told.</p>`,
  );

export const cannotSignInPage = (): HttpResponseInit =>
  htmlPage(
    403,
    "This account cannot sign in",
    `<h1>This account cannot sign in</h1><p>The account or its organization is not active. Ask your administrator.</p>`,
  );
