// The invocation request the host sends for one Service Bus message: the body, and the message's metadata.
import { randomUUID } from "node:crypto";
import { now } from "../../shared/clock";
import type { InvocationRequest, RpcTypedData } from "../core/types";
import type { Delivery } from "./message";

/** Messages sent without a time-to-live never expire (TimeSpan.MaxValue on the broker). */
export const NEVER_EXPIRES = "9999-12-31T23:59:59.999Z";

/** Strings travel as `string` (the library parses them when they are JSON, as in Azure); the rest as JSON. */
export function typed(value: unknown): RpcTypedData {
  return typeof value === "string" ? { string: value } : { json: JSON.stringify(value) };
}

/** The host's own binding data (`sys`), beside every trigger's. */
export function systemBindingData(functionName: string): Record<string, unknown> {
  return { MethodName: functionName, UtcNow: now().toISOString(), RandGuid: randomUUID() };
}

/**
 * The binding data of the Service Bus extension (v5) for a single message, PascalCase as the host sends it; the
 * library camel-cases it into `context.triggerMetadata` (messageId, deliveryCount, enqueuedTimeUtc, …).
 */
function bindingData(delivery: Delivery, functionName: string): Record<string, unknown> {
  const { message } = delivery;
  const data: Record<string, unknown> = {
    MessageId: message.messageId,
    DeliveryCount: delivery.deliveryCount,
    EnqueuedTimeUtc: message.enqueuedTimeUtc,
    EnqueuedTime: message.enqueuedTimeUtc,
    ExpiresAtUtc: NEVER_EXPIRES,
    ExpiresAt: NEVER_EXPIRES,
    SequenceNumber: message.sequenceNumber,
    LockToken: randomUUID(),
    ContentType: message.contentType,
    Subject: message.subject,
    Label: message.subject,
    CorrelationId: message.correlationId,
    ApplicationProperties: message.applicationProperties,
    UserProperties: message.applicationProperties,
    sys: systemBindingData(functionName),
  };
  for (const [name, value] of Object.entries(data)) if (value === undefined) delete data[name];
  return data;
}

export function serviceBusInvocation(
  triggerName: string,
  functionName: string,
  delivery: Delivery,
): InvocationRequest {
  const triggerMetadata: Record<string, RpcTypedData> = {};
  for (const [name, value] of Object.entries(bindingData(delivery, functionName)))
    triggerMetadata[name] = typed(value);
  return { inputData: [{ name: triggerName, data: typed(delivery.message.body) }], triggerMetadata };
}
