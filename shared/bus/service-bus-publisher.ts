// The bus publisher in Azure: @azure/service-bus with the app's managed identity, one client and sender per process.
import type { ServiceBusSender } from "@azure/service-bus";
import { AppError } from "../errors";
import { onFirstUse } from "../first-use";
import { managedIdentity } from "../managed-identity";
import type { CloudEvent } from "../events/cloud-event";
import { toBusMessage } from "./message";
import type { BusPublisher } from "./publisher";

/** What callers are told to wait before trying again; the outbox relay retries on its own schedule anyway. */
const RETRY_AFTER_SECONDS = 5;

/** The part of ServiceBusSender the publisher uses (a unit test stands in for the network with it). */
export type BatchSender = Pick<ServiceBusSender, "createMessageBatch" | "sendMessages">;

/** Sends in as few batches as fit; any failure rejects with `bus.unavailable` (a consumer dedupes a resent event). */
export function serviceBusPublisher(
  senderOrConnect: BatchSender | (() => Promise<BatchSender>),
): BusPublisher {
  const senderOf =
    typeof senderOrConnect === "function"
      ? onFirstUse(senderOrConnect)
      : () => Promise.resolve(senderOrConnect);
  async function send(events: CloudEvent[]): Promise<void> {
    const sender = await senderOf();
    let batch = await sender.createMessageBatch();
    for (const event of events) {
      const message = toBusMessage(event);
      if (batch.tryAddMessage(message)) continue;
      if (batch.count > 0) {
        await sender.sendMessages(batch);
        batch = await sender.createMessageBatch();
        if (batch.tryAddMessage(message)) continue;
      }
      throw new Error(`Event ${event.id} is larger than one Service Bus message may be.`);
    }
    if (batch.count > 0) await sender.sendMessages(batch);
  }
  return {
    async publish(events) {
      if (events.length === 0) return;
      try {
        await send(events);
      } catch (error) {
        throw new AppError("bus.unavailable", "The bus did not take the events.", {
          retryAfter: RETRY_AFTER_SECONDS,
          cause: error,
        });
      }
    },
  };
}

/** The client and sender for The One Bus topic, authenticated with DefaultAzureCredential (managed identity in Azure). */
export function connectServiceBus(fullyQualifiedNamespace: string, topic: string): BusPublisher {
  // The SDK loads on the first publish: a cold start that publishes nothing never pays for it (docs/deploy.md).
  return serviceBusPublisher(async () => {
    const { ServiceBusClient } = await import("@azure/service-bus");
    return new ServiceBusClient(fullyQualifiedNamespace, managedIdentity).createSender(topic);
  });
}
