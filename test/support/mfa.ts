// Test helpers for the TOTP second factor, playing the user's authenticator app with the `otpauth` package.
//
//   enrolTotp(host, session)            POST /api/auth/mfa/totp + …/confirm with the app's code → {app, recoveryCodes, …}
//   startLogin(host, email, password)   POST /api/auth/login expecting {mfa_required, challenge} and no cookie
//   loginWithCode(host, email, password, code)
//                                       both steps → the session cookie pair
//   codeAt(app, stepOffset)             the app's code for the step `stepOffset` away from now
//
// Hub refuses a step that was already used (or an earlier one), so a test spends steps in order: enrolment confirms
// with the current step's code, and a sign-in then uses the next step's, `codeAt(app, 1)`. Hub accepts the step
// before, the current one and the one after, so that code holds for a minute however slow the machine: no test
// needs to wait for a step to turn.
import * as OTPAuth from "otpauth";
import type { DevHost } from "../../devhost/host";
import { rememberSecret } from "./identity";

type Host = Pick<DevHost, "url">;
const jsonHeaders = { "content-type": "application/json" };

export interface Enrolled {
  app: OTPAuth.TOTP;
  secret: string;
  otpauthUri: string;
  qrSvg: string;
  recoveryCodes: string[];
}

export const codeAt = (app: OTPAuth.TOTP, stepOffset = 0): string =>
  app.generate({ timestamp: Date.now() + stepOffset * 30_000 });

async function ok(response: Response, what: string): Promise<Record<string, unknown>> {
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Scans the QR's URI as an app would, and confirms with the current code. */
export async function enrolTotp(host: Host, session: string): Promise<Enrolled> {
  const started = await ok(
    await fetch(`${host.url}/api/auth/mfa/totp`, { method: "POST", headers: { cookie: session } }),
    "POST /api/auth/mfa/totp",
  );
  const secret = rememberSecret(String(started.secret));
  const app = OTPAuth.URI.parse(String(started.otpauth_uri)) as OTPAuth.TOTP;
  const confirmed = await ok(
    await fetch(`${host.url}/api/auth/mfa/totp/confirm`, {
      method: "POST",
      headers: { ...jsonHeaders, cookie: session },
      body: JSON.stringify({ code: codeAt(app) }),
    }),
    "POST /api/auth/mfa/totp/confirm",
  );
  const recoveryCodes = (confirmed.recovery_codes as string[]).map((code) => rememberSecret(code));
  return {
    app,
    secret,
    otpauthUri: String(started.otpauth_uri),
    qrSvg: String(started.qr_svg),
    recoveryCodes,
  };
}

export async function startLogin(host: Host, email: string, password: string): Promise<string> {
  const response = await fetch(`${host.url}/api/auth/login`, {
    method: "POST",
    headers: jsonHeaders,
    body: JSON.stringify({ email, password }),
  });
  if (response.headers.getSetCookie().some((line) => line.includes("hub_session="))) {
    throw new Error("the password step set a session cookie");
  }
  const body = await ok(response, "POST /api/auth/login");
  if (body.mfa_required !== true) throw new Error(`expected a challenge, got ${JSON.stringify(body)}`);
  return rememberSecret(String(body.challenge));
}

export function secondStep(
  host: Host,
  challenge: string,
  proof: { code: string } | { recovery_code: string },
) {
  return fetch(`${host.url}/api/auth/login/mfa`, {
    method: "POST",
    headers: jsonHeaders,
    body: JSON.stringify({ challenge, ...proof }),
  });
}

export function sessionPairOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith("__Host-hub_session="));
  if (!cookie) throw new Error("no __Host-hub_session cookie");
  const pair = cookie.split(";")[0]!;
  rememberSecret(pair.slice(pair.indexOf("=") + 1));
  rememberSecret(pair.slice(pair.indexOf(".") + 1));
  return pair;
}

export async function loginWithCode(
  host: Host,
  email: string,
  password: string,
  code: string,
): Promise<string> {
  const challenge = await startLogin(host, email, password);
  const response = await secondStep(host, challenge, { code });
  if (response.status !== 200) throw new Error(`POST /api/auth/login/mfa answered ${response.status}`);
  return sessionPairOf(response);
}
