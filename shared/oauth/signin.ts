// The sign-in flow behind GET/POST /api/signin (docs/sso.md): steps, CSRF, and the way back to the authorization.
import type { Cookie, HttpRequest, HttpResponseInit } from "@azure/functions";
import { AppError } from "../errors";
import { clientIp, userAgentOf } from "../http/client-ip";
import type { Logger } from "../log";
import { login } from "../auth/login";
import { sessionCookie } from "../auth/session";
import { formToken, formTokenMatches } from "./form-token";
import { passwordFields, signedInPage, signInPage, totpFields } from "./signin-page";
import { completeSecondFactor } from "../mfa/complete-sign-in";
import { CODE_PATTERN } from "../mfa/totp";
import { redirectOriginOf, safeReturnTo } from "./signin-return";

/** What a step decided: signed in (the session cookie value), or show the form again with an error. */
export type StepOutcome =
  | { kind: "signed_in"; cookieValue: string }
  | {
      kind: "retry";
      status: number;
      error: string;
      fields: string;
      retryAfterSeconds?: number;
      /** The step to show again, with its submit label. */
      step: string;
      submitLabel: string;
    }
  /** A further step's page (e.g. a second factor after the password): its form posts `step=<its name>`. */
  | { kind: "next"; step: string; fields: string; submitLabel: string };

export type SignInStep = (
  request: HttpRequest,
  form: Record<string, string>,
  log: Logger,
) => Promise<StepOutcome>;

/** The one answer for an unknown email and a wrong password (docs/auth.md). */
const UNIFORM_ERROR = "The email or password is incorrect.";

/** What the page says for a refusal both steps share; null for an error the step must handle itself. */
function refusal(
  error: unknown,
  again: { step: string; fields: string; submitLabel: string },
): StepOutcome | null {
  if (!(error instanceof AppError)) return null;
  const retry = (status: number, message: string, retryAfterSeconds?: number): StepOutcome => ({
    kind: "retry",
    status,
    error: message,
    ...again,
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  });
  if (error.code === "auth.rate_limited") {
    const seconds = Math.ceil(error.options.retryAfter ?? 900);
    return retry(
      429,
      `Too many failed sign-ins: this account is locked. Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? "s" : ""}.`,
      seconds,
    );
  }
  if (error.code === "service.busy") {
    return retry(
      503,
      "Hub is busy signing others in. Try again in a few seconds.",
      Math.ceil(error.options.retryAfter ?? 5),
    );
  }
  if (error.code === "auth.forbidden") return retry(403, "This account cannot sign in.");
  return null;
}

const passwordStep: SignInStep = async (request, form, log) => {
  const email = (form.email ?? "").trim().slice(0, 320);
  const password = form.password ?? "";
  const again = { step: "password", fields: passwordFields(email), submitLabel: "Sign in" };
  if (email.length < 3 || password.length < 1 || password.length > 1024) {
    return { kind: "retry", status: 401, error: UNIFORM_ERROR, ...again };
  }
  try {
    const result = await login(
      { email, password, ip: clientIp(request), user_agent: userAgentOf(request) },
      log,
    );
    if (result.kind === "mfa_required") {
      return { kind: "next", step: "totp", fields: totpFields(result.challenge), submitLabel: "Verify" };
    }
    log.info("signed in", { org_id: result.org.org_id, user_id: result.user.user_id });
    return { kind: "signed_in", cookieValue: result.cookieValue };
  } catch (error) {
    if (error instanceof AppError && error.code === "auth.invalid_credentials") {
      return { kind: "retry", status: 401, error: UNIFORM_ERROR, ...again };
    }
    const outcome = refusal(error, again);
    if (outcome) return outcome;
    throw error;
  }
};

/** The second factor: one field takes either the app's 6-digit code or a recovery code. */
const totpStep: SignInStep = async (request, form, log) => {
  const challenge = (form.challenge ?? "").slice(0, 200);
  const entered = (form.code ?? "").trim().slice(0, 64);
  const again = { step: "totp", fields: totpFields(challenge), submitLabel: "Verify" };
  const wrong: StepOutcome = { kind: "retry", status: 401, error: "That code is not correct.", ...again };
  if (!entered) return wrong;
  const proof = CODE_PATTERN.test(entered.replace(/\s/g, ""))
    ? { code: entered.replace(/\s/g, "") }
    : { recovery_code: entered };
  try {
    const result = await completeSecondFactor(
      { challenge, proof, ip: clientIp(request), user_agent: userAgentOf(request) },
      log,
    );
    log.info("signed in", { org_id: result.org.org_id, user_id: result.user.user_id });
    return { kind: "signed_in", cookieValue: result.cookieValue };
  } catch (error) {
    if (error instanceof AppError && error.code === "auth.invalid_credentials") return wrong;
    if (error instanceof AppError && error.code === "resource.gone") {
      return {
        kind: "retry",
        status: 410,
        error: "This sign-in took too long. Please sign in again.",
        step: "password",
        fields: passwordFields(),
        submitLabel: "Sign in",
      };
    }
    const outcome = refusal(error, again);
    if (outcome) return outcome;
    throw error;
  }
};

/** Steps by the name their form posts; a second factor registers here and a step returns `next` to reach it. */
export const SIGN_IN_STEPS: Record<string, SignInStep> = { password: passwordStep, totp: totpStep };

function render(
  request: HttpRequest,
  returnTo: string | null,
  step: { step: string; fields: string; submitLabel: string; status: number; error?: string },
  extra: { headers?: Record<string, string>; cookies?: Cookie[] } = {},
): HttpResponseInit {
  const { token, cookie } = formToken(request);
  return signInPage({
    ...step,
    formToken: token,
    formCookie: cookie,
    returnTo,
    redirectOrigin: redirectOriginOf(returnTo),
    ...extra,
  });
}

export function showSignIn(request: HttpRequest): HttpResponseInit {
  const returnTo = safeReturnTo(new URL(request.url).searchParams.get("return_to") ?? undefined);
  return render(request, returnTo, {
    step: "password",
    fields: passwordFields(),
    submitLabel: "Sign in",
    status: 200,
  });
}

export async function submitSignIn(
  request: HttpRequest,
  form: Record<string, string>,
  log: Logger,
): Promise<HttpResponseInit> {
  const returnTo = safeReturnTo(form.return_to);
  const retry = (status: number, error: string) =>
    render(request, returnTo, {
      step: "password",
      fields: passwordFields(form.email),
      submitLabel: "Sign in",
      status,
      error,
    });
  if (!formTokenMatches(request, form.form_token)) {
    return retry(403, "This sign-in form has expired. Please sign in again.");
  }
  const step = SIGN_IN_STEPS[form.step ?? "password"];
  if (!step) return retry(400, "Please sign in again.");
  const outcome = await step(request, form, log);
  switch (outcome.kind) {
    case "signed_in": {
      const cookies = [sessionCookie(outcome.cookieValue)];
      if (!returnTo) return signedInPage(cookies);
      return { status: 303, headers: { location: returnTo, "cache-control": "no-store" }, cookies };
    }
    case "retry":
      return render(
        request,
        returnTo,
        {
          step: outcome.step,
          fields: outcome.fields,
          submitLabel: outcome.submitLabel,
          status: outcome.status,
          error: outcome.error,
        },
        outcome.retryAfterSeconds ? { headers: { "retry-after": String(outcome.retryAfterSeconds) } } : {},
      );
    case "next":
      return render(request, returnTo, { ...outcome, status: 200 });
  }
}
