// The pages of the OAuth endpoints (docs/sso.md): authorization errors that never redirect, and signing out.
import type { Cookie, HttpResponseInit } from "@azure/functions";
import { escapeHtml, htmlPage } from "../pages/layout";
import { FORM_TOKEN_FIELD } from "./form-token";

const AUTHORIZE_ERRORS = {
  unknown_client: "The application that sent you here is not registered with Hub.",
  unregistered_redirect_uri: "The application asked Hub to send you to an address it has not registered.",
} as const;

/** Shown instead of redirecting when the client or its redirect URI cannot be trusted. */
export function oauthErrorPage(kind: keyof typeof AUTHORIZE_ERRORS): HttpResponseInit {
  return htmlPage(
    400,
    "Sign-in request not valid",
    `<h1>Sign-in request not valid</h1><p>${AUTHORIZE_ERRORS[kind]}</p><p class="note">Nothing was shared. Go back to the application and try again, or tell its administrator.</p>`,
  );
}

export function signedOutPage(): HttpResponseInit {
  return htmlPage(
    200,
    "Signed out",
    `<h1>Signed out</h1><p>You are signed out of Hub.</p><p class="note">You can close this page.</p>`,
  );
}

/** Without proof the request came from a product the user uses (a matching id_token_hint), the user confirms. */
export function confirmSignOutPage(
  token: string,
  cookie: Cookie,
  hidden: Record<string, string>,
  formActions: string[],
): HttpResponseInit {
  const fields = Object.entries({ ...hidden, [FORM_TOKEN_FIELD]: token })
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
  return htmlPage(
    200,
    "Sign out of Hub?",
    `<h1>Sign out of Hub?</h1><p>You will be signed out of Hub and of the products that use it.</p>
<form method="post">${fields}<div class="actions"><button type="submit" name="confirm" value="yes">Sign out</button></div></form>`,
    { cookies: [cookie], formActions },
  );
}

export function logoutErrorPage(): HttpResponseInit {
  return htmlPage(
    400,
    "Sign-out request not valid",
    `<h1>Sign-out request not valid</h1><p>The application asked Hub to send you to an address it has not registered.</p><p class="note">You were not signed out.</p>`,
  );
}
