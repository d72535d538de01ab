// TOTP enrolment for the signed-in user (docs/auth.md, "Second factor"): start (secret once), then confirm with a code.
import type { HttpRequest } from "@azure/functions";
import { z } from "zod";
import { now } from "../clock";
import { AppError, isAppError } from "../errors";
import { newCloudEvent } from "../events/cloud-event";
import type { HubEventData } from "../events/hub-events";
import { commitWithEvents } from "../events/outbox";
import { readOrg, readUser } from "../identity/repository";
import type { OrgDoc, UserDoc } from "../identity/model";
import type { Logger } from "../log";
import type { SessionDoc } from "../auth/session";
import { currentSession, sessionWithMethodOperation } from "../auth/session";
import {
  factorDocId,
  readFactor,
  replaceFactorOperation,
  withoutEtag,
  writePendingFactor,
} from "./factor-store";
import { newRecoveryCodes } from "./recovery-codes";
import { qrSvg } from "./qr";
import { seal } from "./secret-box";
import { TOTP_DIGITS, TOTP_PERIOD_SECONDS, base32Encode, newTotpSecret } from "./totp";
import { acceptedStep, secretContext } from "./verify-factor";

/** The name authenticator apps show above the code. */
const ISSUER = "The One Stack Hub";

export const enrolmentSchema = z.object({
  secret: z.string().describe("Base32 (RFC 4648, no padding); shown only in this answer"),
  otpauth_uri: z.string().describe("otpauth://totp/… for authenticator apps"),
  qr_svg: z.string().describe("The otpauth_uri as a QR code (SVG)"),
});
export const confirmationSchema = z.object({
  recovery_codes: z.array(z.string()).describe("10 single-use codes, shown only in this answer"),
});

interface SignedInUser {
  session: SessionDoc;
  user: UserDoc;
  org: OrgDoc;
}

/** The cookie's session and its active user; enrolment needs only a session, never a token. */
async function signedInUser(request: HttpRequest): Promise<SignedInUser> {
  const session = await currentSession(request);
  const [user, org] = session
    ? await Promise.all([readUser(session.org_id, session.user_id), readOrg(session.org_id)])
    : [null, null];
  if (!session || user?.status !== "active" || org?.status !== "active") {
    throw new AppError("auth.missing_credential", "Sign in first: this needs a valid session cookie.");
  }
  return { session, user, org };
}

export function otpauthUri(email: string, secret: string): string {
  const label = `${encodeURIComponent(ISSUER)}:${encodeURIComponent(email)}`;
  const params = new URLSearchParams({
    secret,
    issuer: ISSUER,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString().replace(/\+/g, "%20")}`;
}

const alreadyEnrolled = () =>
  new AppError("resource.conflict", "A second factor is already set up; an org admin can reset it.");

/** A new pending factor (replacing an unconfirmed one): the secret is answered here once and stored sealed. */
export async function startTotpEnrolment(
  request: HttpRequest,
  log: Logger,
): Promise<z.infer<typeof enrolmentSchema>> {
  const { user } = await signedInUser(request);
  const existing = await readFactor(user.org_id, user.user_id);
  if (existing?.status === "active") throw alreadyEnrolled();
  const secret = newTotpSecret();
  await writePendingFactor({
    id: factorDocId(user.user_id),
    org_id: user.org_id,
    type: "mfa_totp",
    user_id: user.user_id,
    status: "pending",
    sealed_secret: seal(secret, secretContext(user)),
    recovery_codes: [],
    created_at: now().toISOString(),
  });
  log.info("totp enrolment started", { org_id: user.org_id, user_id: user.user_id });
  const encoded = base32Encode(secret);
  const uri = otpauthUri(user.email, encoded);
  return { secret: encoded, otpauth_uri: uri, qr_svg: await qrSvg(uri) };
}

/**
 * The first right code activates the factor, issues the recovery codes, publishes `hub.auth.mfa_enrolled`, and
 * counts for this session (it has just shown both factors), all in one batch.
 */
export async function confirmTotpEnrolment(
  request: HttpRequest,
  code: string,
  log: Logger,
): Promise<z.infer<typeof confirmationSchema>> {
  const { session, user } = await signedInUser(request);
  const factor = await readFactor(user.org_id, user.user_id);
  if (factor?.status === "active") throw alreadyEnrolled();
  if (!factor) throw new AppError("resource.not_found", "Start with POST /api/auth/mfa/totp.");
  const step = acceptedStep(factor, code);
  if (step === null) {
    throw new AppError("request.invalid", "The code does not match.", {
      errors: [{ path: "code", message: "is not the current code of the authenticator app" }],
    });
  }
  const recovery = newRecoveryCodes(user.user_id);
  const at = now().toISOString();
  const active = {
    ...withoutEtag(factor),
    status: "active" as const,
    last_used_step: step,
    recovery_codes: recovery.records,
    confirmed_at: at,
  };
  const event = newCloudEvent<HubEventData<"hub.auth.mfa_enrolled">>(
    {
      type: "hub.auth.mfa_enrolled",
      orgid: user.org_id,
      subject: user.user_id,
      data: { user_id: user.user_id, method: "totp" },
    },
    now(),
  );
  try {
    await commitWithEvents(
      "identity",
      user.org_id,
      [replaceFactorOperation(factor, active), sessionWithMethodOperation(session, "otp")],
      [event],
      log,
    );
  } catch (error) {
    if (isAppError(error) && ["precondition.failed", "resource.conflict"].includes(error.code)) {
      throw new AppError("resource.conflict", "The enrolment changed meanwhile; start again.");
    }
    throw error;
  }
  log.info("totp enrolled", { org_id: user.org_id, user_id: user.user_id });
  return { recovery_codes: recovery.codes };
}
