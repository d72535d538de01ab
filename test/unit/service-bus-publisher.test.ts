// The Service Bus adapter: what each message carries (docs/events.md), batching, and how a failure reaches callers.
import type { ServiceBusMessage, ServiceBusMessageBatch } from "@azure/service-bus";
import { describe, expect, it } from "vitest";
import type { BatchSender } from "../../shared/bus/service-bus-publisher";
import { serviceBusPublisher } from "../../shared/bus/service-bus-publisher";
import { newCloudEvent } from "../../shared/events/cloud-event";

/** Stands in for Service Bus (which tests cannot reach): batches hold `capacity` messages; sends are recorded. */
function fakeSender(capacity: number, failSend = false): BatchSender & { sent: ServiceBusMessage[][] } {
  const sent: ServiceBusMessage[][] = [];
  return {
    sent,
    async createMessageBatch() {
      const messages: ServiceBusMessage[] = [];
      return {
        get count() {
          return messages.length;
        },
        tryAddMessage: (message: ServiceBusMessage) =>
          messages.length < capacity && messages.push(message) > 0,
        _messages: messages,
      } as unknown as ServiceBusMessageBatch;
    },
    async sendMessages(batch) {
      if (failSend) throw new Error("ServiceCommunicationProblem");
      sent.push((batch as unknown as { _messages: ServiceBusMessage[] })._messages);
    },
  };
}

const event = (type: string) => newCloudEvent({ type, orgid: "org-7", data: { user_id: "u1" } });

describe("Service Bus publisher", () => {
  it("sends each event with messageId, subject, content type, type/org_id properties and the CloudEvent body", async () => {
    const sender = fakeSender(10);
    const sent = event("hub.iam.user_created");
    await serviceBusPublisher(sender).publish([sent]);
    expect(sender.sent).toEqual([
      [
        {
          messageId: sent.id,
          subject: "hub.iam.user_created",
          contentType: "application/cloudevents+json",
          applicationProperties: { type: "hub.iam.user_created", org_id: "org-7" },
          body: sent,
        },
      ],
    ]);
  });

  it("splits what does not fit in one batch into several, in order", async () => {
    const sender = fakeSender(2);
    const events = [event("a"), event("b"), event("c")];
    await serviceBusPublisher(sender).publish(events);
    expect(sender.sent.map((batch) => batch.map((m) => m.messageId))).toEqual([
      [events[0]!.id, events[1]!.id],
      [events[2]!.id],
    ]);
  });

  it("rejects with bus.unavailable and a Retry-After when Service Bus fails", async () => {
    await expect(serviceBusPublisher(fakeSender(10, true)).publish([event("a")])).rejects.toMatchObject({
      code: "bus.unavailable",
      options: { retryAfter: 5 },
    });
  });

  it("rejects an event too large for any batch instead of dropping it", async () => {
    await expect(serviceBusPublisher(fakeSender(0)).publish([event("a")])).rejects.toMatchObject({
      code: "bus.unavailable",
    });
  });
});
