// The invocation request the host sends for a batch of Service Bus messages (cardinality "many"): arrays, in RPC types.
import { randomUUID } from "node:crypto";
import type { InvocationRequest, RpcTypedData } from "../core/types";
import type { BatchDataType } from "./batch-bodies";
import { batchBodies } from "./batch-bodies";
import type { Delivery } from "./message";
import { collectionString, json } from "./rpc-arrays";
import { NEVER_EXPIRES, systemBindingData } from "./trigger-request";

/**
 * ServiceBusTriggerBindingStrategy.AddBindingData for a batch: each single-message field as an `…Array`,
 * PascalCase as the host sends it; the library camel-cases the names into `context.triggerMetadata`.
 */
function batchMetadata(deliveries: Delivery[], functionName: string): Record<string, RpcTypedData> {
  const messages = deliveries.map((delivery) => delivery.message);
  const strings = (pick: (index: number) => string | undefined) =>
    collectionString(deliveries.map((_, index) => pick(index)));
  const none = collectionString([]);
  const enqueued = json(messages.map((message) => message.enqueuedTimeUtc));
  const expires = json(messages.map(() => NEVER_EXPIRES));
  const properties = json(messages.map((message) => message.applicationProperties));
  const subjects = strings((i) => messages[i]!.subject);
  return {
    DeliveryCountArray: json(deliveries.map((delivery) => delivery.deliveryCount)),
    DeadLetterSourceArray: none,
    LockTokenArray: strings(() => randomUUID()),
    ExpiresAtUtcArray: expires,
    ExpiresAtArray: expires,
    EnqueuedTimeUtcArray: enqueued,
    EnqueuedTimeArray: enqueued,
    MessageIdArray: strings((i) => messages[i]!.messageId),
    ContentTypeArray: strings((i) => messages[i]!.contentType),
    ReplyToArray: none,
    // long[] travels as a collection of sint64 (ToRpcLongArray); docs/devhost.md says what the worker makes of it.
    SequenceNumberArray: { collectionSint64: { sint64: messages.map((message) => message.sequenceNumber) } },
    ToArray: none,
    SubjectArray: subjects,
    LabelArray: subjects,
    CorrelationIdArray: strings((i) => messages[i]!.correlationId),
    ApplicationPropertiesArray: properties,
    UserPropertiesArray: properties,
    SessionIdArray: none,
    ReplyToSessionIdArray: none,
    PartitionKeyArray: none,
    TransactionPartitionKeyArray: none,
    sys: { json: JSON.stringify(systemBindingData(functionName)) },
  };
}

/** Throws BindingError when a body cannot be bound (see batchBodies()). */
export function serviceBusBatchInvocation(
  triggerName: string,
  functionName: string,
  deliveries: Delivery[],
  dataType: BatchDataType,
): InvocationRequest {
  return {
    inputData: [{ name: triggerName, data: batchBodies(deliveries, triggerName, dataType) }],
    triggerMetadata: batchMetadata(deliveries, functionName),
  };
}
