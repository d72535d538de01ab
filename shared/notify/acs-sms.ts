// SMS through Azure Communication Services, with the app's managed identity.
import { SmsClient } from "@azure/communication-sms";
import { DefaultAzureCredential } from "@azure/identity";
import type { Notification, Notifier, SentNotification } from "./notification";

export class AcsSmsNotifier implements Notifier {
  private readonly client: SmsClient;

  constructor(
    endpoint: string,
    private readonly from: string,
  ) {
    this.client = new SmsClient(endpoint, new DefaultAzureCredential());
  }

  async send(notification: Notification): Promise<SentNotification> {
    const [result] = await this.client.send(
      { from: this.from, to: [notification.to], message: notification.text },
      { tag: notification.idempotency_key.slice(0, 64) },
    );
    if (!result?.successful) throw new Error(`ACS SMS failed: ${result?.errorMessage ?? "no result"}`);
    return { id: result.messageId ?? notification.idempotency_key };
  }
}
