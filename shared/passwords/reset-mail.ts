// The reset email, sent off the request path by a one-activity orchestration: look the email up, issue the link, send it.
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import { issueUserLink } from "../links/link-record";
import { findUserByEmail, readOrg } from "../identity/repository";
import type { Logger } from "../log";
import { sendNotification } from "../notify/notifier";

export const RESET_MAIL_ORCHESTRATION = "passwordResetMail";
export const RESET_MAIL_ACTIVITY = "passwordResetSendLink";
export const RESET_LINK_MINUTES = 30;

export interface ResetMailInput {
  /** Names this request: the orchestration's instance id and the email's idempotency key. */
  request_id: string;
  /** Normalised (trimmed, lower-case). */
  email: string;
}

export const resetPath = (token: string): string => `/api/auth/password/reset/${token}`;

/** A failed send (the store or the mail service down) is retried a few times, then given up: the user asks again. */
const RETRY = new df.RetryOptions(5_000, 3);

export const passwordResetMail: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<ResetMailInput>();
  yield context.df.callActivityWithRetry(RESET_MAIL_ACTIVITY, RETRY, input);
};

/**
 * Only an active user of an active org gets a link; anyone else gets nothing, which nobody can observe. A re-run
 * (activities run at least once) may write a second link record, but the email goes once per request.
 */
export async function sendResetLink(input: ResetMailInput, log: Logger): Promise<"sent" | "skipped"> {
  const user = await findUserByEmail(input.email);
  const org = user && (await readOrg(user.org_id));
  if (user?.status !== "active" || org?.status !== "active") return "skipped";
  const link = await issueUserLink({
    purpose: "password_reset",
    orgId: user.org_id,
    userId: user.user_id,
    lifetimeMs: RESET_LINK_MINUTES * 60 * 1000,
    path: resetPath,
  });
  await sendNotification({
    channel: "email",
    to: user.email,
    subject: "Reset your Hub password",
    text: [
      `Someone, hopefully you, asked to reset the password of the Hub account ${user.email} (${org.name}).`,
      "",
      `Choose a new password here. The link works once, for ${RESET_LINK_MINUTES} minutes:`,
      link.url,
      "",
      "Choosing one signs you out everywhere. If you did not ask, ignore this email: your password stays as it is.",
    ].join("\n"),
    org_id: user.org_id,
    idempotency_key: `password-reset:${input.request_id}`,
  });
  log.info("password reset link sent", { org_id: user.org_id, user_id: user.user_id });
  return "sent";
}
