// SMS through Azure Communication Services, with the app's managed identity.
import type { SmsClient } from "@azure/communication-sms";
import { managedIdentity } from "../managed-identity";
import type { Notification, Notifier, SentNotification } from "./notification";

export class AcsSmsNotifier implements Notifier {
  private client: Promise<SmsClient> | undefined;

  constructor(
    private readonly endpoint: string,
    private readonly from: string,
  ) {}

  /** Loaded on the first send: no cold start pays for an SDK most invocations never use (docs/deploy.md). */
  private smsClient(): Promise<SmsClient> {
    this.client ??= import("@azure/communication-sms").then(
      ({ SmsClient }) => new SmsClient(this.endpoint, managedIdentity),
    );
    return this.client;
  }

  async send(notification: Notification): Promise<SentNotification> {
    const client = await this.smsClient();
    const [result] = await client.send(
      { from: this.from, to: [notification.to], message: notification.text },
      { tag: notification.idempotency_key.slice(0, 64) },
    );
    if (!result?.successful) throw new Error(`ACS SMS failed: ${result?.errorMessage ?? "no result"}`);
    return { id: result.messageId ?? notification.idempotency_key };
  }
}
