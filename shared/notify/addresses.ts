// Who a notification may go to and what its subject may hold: one rule for agent definitions and for sending.
import { z } from "zod";
import type { Channel } from "./notification";

export const EMAIL = z.email().max(254);
export const PHONE = /^\+[1-9][0-9]{6,14}$/;

/** C0/C1 controls and the Unicode line separators: a line break in a header starts a new header. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

export const isRecipient = (channel: Channel, to: string): boolean =>
  channel === "email" ? EMAIL.safeParse(to).success : PHONE.test(to);

/**
 * What is wrong with a notification as it will be sent (after templates are rendered: event data may have
 * produced a list of addresses, a header injection or a line break), or null. Never quotes the values.
 */
export function notificationProblem(notification: {
  channel: Channel;
  to: readonly string[];
  subject?: string;
}): string | null {
  const bad = notification.to.findIndex((to) => !isRecipient(notification.channel, to));
  if (bad !== -1)
    return notification.channel === "email"
      ? `recipient ${bad + 1} is not exactly one email address`
      : `recipient ${bad + 1} is not exactly one E.164 phone number`;
  if (notification.subject !== undefined && CONTROL.test(notification.subject))
    return "the subject contains a control character or a line break";
  return null;
}
