// POST /api/auth/password/forgot (docs/auth.md, "Password reset"): one answer for every email, the work off the response path.
import type * as df from "durable-functions";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { SlidingWindowCounter } from "../auth/sliding-window";
import { nowMs } from "../clock";
import { AppError } from "../errors";
import { emailIndexId, normalizeEmail } from "../identity/model";
import type { Logger } from "../log";
import type { ResetMailInput } from "./reset-mail";
import { RESET_LINK_MINUTES, RESET_MAIL_ORCHESTRATION } from "./reset-mail";

export const forgotBodySchema = z.object({ email: z.email().max(254) });

export const FORGOT_ANSWER = {
  status: "accepted",
  message: `If an active Hub account uses this email, a link to choose a new password is on its way. It works once, for ${RESET_LINK_MINUTES} minutes.`,
} as const;

export const forgotAnswerSchema = z.object({
  status: z.literal("accepted"),
  message: z.string().describe("The same words for every email, known or not"),
});

/** Requests per client address per 15 minutes on an instance, whatever the emails: beyond it, 429. */
export const FORGOT_PER_ADDRESS = 20;
/** Links sent per email per 15 minutes on an instance: beyond it the answer is the same 202 and nothing is sent. */
export const FORGOT_PER_EMAIL = 3;
const WINDOW_MS = 15 * 60 * 1000;

const byAddress = new SlidingWindowCounter(WINDOW_MS);
const byEmail = new SlidingWindowCounter(WINDOW_MS);

/**
 * The answer must not tell whether the email has an account, in its words or its timing. So this request does the
 * same work for every email: no lookup at all, only a budget check and the start of a small orchestration that
 * looks the email up, issues the link and sends it (reset-mail.ts). A client address over its budget gets 429
 * whatever the email, and an email over its own budget the same 202 as any other.
 */
export async function requestPasswordReset(
  email: string,
  ip: string | null,
  client: df.DurableClient,
  log: Logger,
): Promise<void> {
  const now = nowMs();
  if (ip !== null) {
    const retryAfter = byAddress.retryAfterSeconds(ip, FORGOT_PER_ADDRESS, now);
    if (retryAfter > 0)
      throw new AppError("auth.rate_limited", "Too many password reset requests from this address.", {
        retryAfter,
      });
    byAddress.record(ip, FORGOT_PER_ADDRESS, now);
  }
  const normalized = normalizeEmail(email);
  // A digest, so the instance's memory holds no email addresses.
  const emailKey = emailIndexId(normalized);
  if (byEmail.retryAfterSeconds(emailKey, FORGOT_PER_EMAIL, now) > 0) {
    log.info("password reset request over the email's budget: nothing sent");
    return;
  }
  byEmail.record(emailKey, FORGOT_PER_EMAIL, now);
  const input: ResetMailInput = { request_id: randomUUID(), email: normalized };
  await client.startNew(RESET_MAIL_ORCHESTRATION, {
    instanceId: `password-reset-${input.request_id}`,
    input,
  });
}
