// The messages a Service Bus trigger hands a function, one or a batch (`cardinality: "many"`), with their ids.

/** A message's body and the `messageId` Service Bus gave it. */
export interface TriggeredMessage {
  body: unknown;
  messageId?: string;
}

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

/**
 * The trigger's input as a list: a batch arrives as an array whose metadata are arrays in the same order
 * (`messageIdArray`, `deliveryCountArray`…), a single message as itself with `messageId`. The host leaves empty
 * strings out of a string array (bodies included), so ids are paired with bodies only when both arrays are whole.
 */
export function triggeredMessages(input: unknown, triggerMetadata: Record<string, unknown> | undefined) {
  const ids = triggerMetadata?.messageIdArray;
  if (Array.isArray(input)) {
    const paired = Array.isArray(ids) && ids.length === input.length;
    return input.map((body, index): TriggeredMessage => ({
      body,
      messageId: paired ? text(ids[index]) : undefined,
    }));
  }
  return [{ body: input, messageId: text(triggerMetadata?.messageId) }];
}
