// The invocation request the host sends for a batch of Service Bus messages (cardinality "many"): arrays, in RPC types.
import { randomUUID } from "node:crypto";
import type { InvocationRequest, RpcTypedData } from "../core/types";
import type { Delivery } from "./message";
import { NEVER_EXPIRES, systemBindingData } from "./trigger-request";

/**
 * A `string[]` as the host sends it (GrpcMessageConversionExtensions.ToRpcStringArray): a collection of strings
 * in which null and empty entries are left out, because the Node worker does not declare the
 * IncludeEmptyEntriesInMessagePayload capability. So an array of a field some messages lack is shorter than the
 * batch and its indexes no longer line up with the messages'.
 */
function collectionString(values: (string | undefined)[]): RpcTypedData {
  return { collectionString: { string: values.filter((value): value is string => !!value) } };
}

/** `int[]`, `DateTime[]` and dictionaries have no collection type: the host sends them as JSON. */
const json = (values: unknown[]): RpcTypedData => ({ json: JSON.stringify(values) });

/** A body as the extension's string converter reads it: text as sent, anything else as its JSON. */
const bodyText = (body: unknown): string => (typeof body === "string" ? body : (JSON.stringify(body) ?? ""));

/** The binding's `dataType`, which decides the trigger's parameter type (`object[]`, `string[]` or `byte[][]`). */
export type BatchDataType = "object" | "string" | "binary";

/** A batch the host could not bind: the invocation fails before the handler runs, and the batch is abandoned. */
export class BindingError extends Error {
  override readonly name = "BindingError";
}

/**
 * The bodies as the worker receives them. Without a dataType the host asks for `object[]`: WebJobs'
 * PocoTriggerArgumentBinding deserializes each body with Json.NET (a body that is not JSON fails the whole
 * invocation) and the host sends the array as JSON. `string` gives a string collection (empty bodies left out),
 * `binary` a bytes collection.
 */
function bodies(deliveries: Delivery[], triggerName: string, dataType: BatchDataType): RpcTypedData {
  const texts = deliveries.map((delivery) => bodyText(delivery.message.body));
  if (dataType === "string") return collectionString(texts);
  if (dataType === "binary")
    return { collectionBytes: { bytes: texts.map((text) => Buffer.from(text, "utf8")) } };
  const values = texts.map((text) => {
    if (text.trim() === "") return null; // Json.NET reads an empty body as null
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new BindingError(
        `Exception binding parameter '${triggerName}'. Binding parameters to complex objects (such as 'Object') ` +
          `uses Json.NET serialization. The JSON parser failed: ${(error as Error).message}`,
      );
    }
  });
  return json(values);
}

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

/** Throws BindingError when a body cannot be bound (see bodies()). */
export function serviceBusBatchInvocation(
  triggerName: string,
  functionName: string,
  deliveries: Delivery[],
  dataType: BatchDataType,
): InvocationRequest {
  return {
    inputData: [{ name: triggerName, data: bodies(deliveries, triggerName, dataType) }],
    triggerMetadata: batchMetadata(deliveries, functionName),
  };
}
