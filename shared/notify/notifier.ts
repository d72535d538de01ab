// The notifier port: ACS email/SMS when configured, else the local outbox a devhost installs.
import { settings } from "../config";
import { AppError } from "../errors";
import { localHostPorts } from "../local-host";
import { AcsEmailNotifier } from "./acs-email";
import { AcsSmsNotifier } from "./acs-sms";
import { notificationProblem } from "./addresses";
import { sendOnce } from "./send-once";
import type { Channel, Notification, Notifier, SentNotification } from "./notification";

const adapters = new Map<Channel, Notifier>();

/** Called by a local host (the devhost) only. */
export function useLocalNotifier(notifier: Notifier): void {
  localHostPorts().notifier = notifier;
}

function adapterFor(channel: Channel): Notifier {
  const cached = adapters.get(channel);
  if (cached) return cached;
  const { ACS_ENDPOINT, ACS_EMAIL_SENDER, ACS_SMS_FROM } = settings();
  let adapter: Notifier | undefined;
  if (ACS_ENDPOINT && channel === "email" && ACS_EMAIL_SENDER)
    adapter = new AcsEmailNotifier(ACS_ENDPOINT, ACS_EMAIL_SENDER);
  else if (ACS_ENDPOINT && channel === "sms" && ACS_SMS_FROM)
    adapter = new AcsSmsNotifier(ACS_ENDPOINT, ACS_SMS_FROM);
  else adapter = localHostPorts().notifier;
  if (!adapter) {
    throw new AppError(
      "internal",
      `No ${channel} sender is configured (set ACS_ENDPOINT and the ${channel} sender).`,
    );
  }
  adapters.set(channel, adapter);
  return adapter;
}

/**
 * The last gate before a message leaves: one valid recipient, a subject without line breaks; then the channel's
 * adapter, once per idempotency key (send-once.ts).
 */
export async function sendNotification(notification: Notification): Promise<SentNotification> {
  const problem = notificationProblem({ ...notification, to: [notification.to] });
  if (problem) throw new AppError("request.invalid", `Not sent: ${problem}.`);
  return sendOnce(notification, (message) => adapterFor(message.channel).send(message));
}
