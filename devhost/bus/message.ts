// The devhost bus's message and dead-letter records (what tests read back through the handle).

export interface MessageFields {
  messageId?: string;
  subject?: string;
  contentType?: string;
  correlationId?: string;
  applicationProperties?: Record<string, string | number | boolean>;
  body: unknown;
}

/** A message as the broker accepted it. */
export interface BusMessage {
  /** The topic or queue it was sent to. */
  entity: string;
  messageId: string;
  subject?: string;
  contentType?: string;
  correlationId?: string;
  applicationProperties: Record<string, string | number | boolean>;
  body: unknown;
  enqueuedTimeUtc: string;
  sequenceNumber: number;
}

/** One copy of a message on one subscription (or queue), with the deliveries made so far. */
export interface Delivery {
  message: BusMessage;
  deliveryCount: number;
}

export interface DeadLetter {
  entity: string;
  /** Undefined for a queue. */
  subscription?: string;
  functionName: string;
  message: BusMessage;
  deliveryCount: number;
  /** The broker's reason and description, as Service Bus sets them on the dead-lettered message. */
  deadLetterReason: string;
  deadLetterErrorDescription: string;
  /** The last handler failure (the devhost's addition; Service Bus does not keep it). */
  lastError: string;
}
