// Email through Azure Communication Services, with the app's managed identity.
import type { EmailClient } from "@azure/communication-email";
import { createHash } from "node:crypto";
import { onFirstUse } from "../first-use";
import { managedIdentity } from "../managed-identity";
import type { Notification, Notifier, SentNotification } from "./notification";

/** ACS takes the operation id as a repeatability key: a UUID derived from ours makes a repeated send a no-op. */
export function operationIdFor(idempotencyKey: string): string {
  const hex = createHash("sha256").update(idempotencyKey).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class AcsEmailNotifier implements Notifier {
  /** Loaded on the first send: no cold start pays for an SDK most invocations never use (docs/deploy.md). */
  private readonly emailClient: () => Promise<EmailClient>;

  constructor(
    endpoint: string,
    private readonly senderAddress: string,
  ) {
    this.emailClient = onFirstUse(() =>
      import("@azure/communication-email").then(
        ({ EmailClient }) => new EmailClient(endpoint, managedIdentity),
      ),
    );
  }

  async send(notification: Notification): Promise<SentNotification> {
    const client = await this.emailClient();
    const poller = await client.beginSend(
      {
        senderAddress: this.senderAddress,
        content: {
          subject: notification.subject ?? "",
          plainText: notification.text,
          html: notification.html,
        },
        recipients: { to: [{ address: notification.to }] },
      },
      { operationId: operationIdFor(notification.idempotency_key) },
    );
    const result = await poller.pollUntilDone();
    if (result.status !== "Succeeded")
      throw new Error(`ACS email ${result.status}: ${result.error?.message ?? ""}`);
    return { id: result.id };
  }
}
