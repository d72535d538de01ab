// What one Service Bus message can carry (Standard tier), checked before sending rather than failing at the broker.
import type { FieldIssue } from "../errors";

/** @azure/service-bus refuses a longer messageId before sending ("cannot be greater than 128 characters"). */
export const MAX_MESSAGE_ID_LENGTH = 128;

/** Service Bus Standard: 256 KB per message, headers and properties included (Premium allows more; infra is Standard). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * The AMQP framing around what we count (sections, type codes, the batch envelope the SDK adds). The real overhead
 * is a few hundred bytes; counting 1 KiB makes the estimate an upper bound, so what passes here passes in Azure.
 */
const AMQP_OVERHEAD_BYTES = 1024;
const PER_FIELD_OVERHEAD_BYTES = 8;

export interface CarriedMessage {
  messageId?: string;
  subject?: string;
  contentType?: string;
  correlationId?: string;
  applicationProperties?: Record<string, string | number | boolean>;
  body: unknown;
}

const utf8 = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, "utf8"));

/** An upper bound of the message's size on the wire: the body as the SDK encodes it (JSON), plus every property. */
export function estimatedMessageBytes(message: CarriedMessage): number {
  const body = message.body;
  let size = Buffer.isBuffer(body)
    ? body.length
    : utf8(typeof body === "string" ? body : JSON.stringify(body));
  for (const field of [message.messageId, message.subject, message.contentType, message.correlationId])
    size += utf8(field) + PER_FIELD_OVERHEAD_BYTES;
  for (const [name, value] of Object.entries(message.applicationProperties ?? {}))
    size += utf8(name) + utf8(String(value)) + 2 * PER_FIELD_OVERHEAD_BYTES;
  return size + AMQP_OVERHEAD_BYTES;
}

/** Why Service Bus would refuse this message (empty when it can carry it); paths name the CloudEvent's fields. */
export function carriageProblems(message: CarriedMessage): FieldIssue[] {
  const problems: FieldIssue[] = [];
  if (message.messageId !== undefined && message.messageId.length > MAX_MESSAGE_ID_LENGTH)
    problems.push({
      path: "id",
      message: `must be at most ${MAX_MESSAGE_ID_LENGTH} characters: it is the Service Bus messageId`,
    });
  const size = estimatedMessageBytes(message);
  if (size > MAX_MESSAGE_BYTES)
    problems.push({
      path: "",
      message: `the event takes about ${size} bytes on the bus; a Service Bus message holds at most ${MAX_MESSAGE_BYTES}`,
    });
  return problems;
}
