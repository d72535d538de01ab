// SMS through Azure Communication Services, with the app's managed identity.
import type { SmsClient } from "@azure/communication-sms";
import { onFirstUse } from "../first-use";
import { managedIdentity } from "../managed-identity";
import type { Notification, Notifier, SentNotification } from "./notification";

export class AcsSmsNotifier implements Notifier {
  /** Loaded on the first send: no cold start pays for an SDK most invocations never use (docs/deploy.md). */
  private readonly smsClient: () => Promise<SmsClient>;

  constructor(
    endpoint: string,
    private readonly from: string,
  ) {
    this.smsClient = onFirstUse(() =>
      import("@azure/communication-sms").then(({ SmsClient }) => new SmsClient(endpoint, managedIdentity)),
    );
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
