// The one path every bus subscriber takes: read the envelope, skip what was handled, run, remember.
import type { InvocationContext } from "@azure/functions";
import type { z } from "zod";
import type { TheOneBusSubscription } from "../bus/topology";
import { theOneBus } from "../bus/topology";
import type { CloudEvent } from "../events/cloud-event";
import { parseInboundEvent } from "../events/inbound";
import { Logger } from "../log";
import { markProcessed, recordMalformed, wasProcessed } from "./inbox";

export interface Subscriber<T extends Record<string, unknown>> {
  /** Names the subscriber in its dedupe records and logs (the subscription's name). */
  name: string;
  /** The event types it acts on; anything else on its subscription is malformed for it. */
  types: readonly string[];
  data: z.ZodType<T>;
  handle(event: CloudEvent<T>, log: Logger): Promise<void>;
}

/** The event types a subscription's filter lets through: what its subscriber must handle, from the one topology. */
export function typesOf(subscription: TheOneBusSubscription): readonly string[] {
  const spec = theOneBus.subscriptions.find((candidate) => candidate.name === subscription);
  if (spec?.filter.kind !== "types")
    throw new Error(`Subscription ${subscription} does not filter on types.`);
  return spec.filter.types;
}

function deliveryOf(context: InvocationContext): { messageId: string; deliveryCount: number | null } {
  const metadata = context.triggerMetadata ?? {};
  const count = Number(metadata.deliveryCount);
  return {
    messageId: typeof metadata.messageId === "string" ? metadata.messageId : context.invocationId,
    deliveryCount: Number.isFinite(count) ? count : null,
  };
}

/**
 * A message that can never be handled (not a CloudEvent, a type or data this subscriber does not know) is
 * recorded and completed, so it is neither retried ten times nor left to rot in the dead-letter queue unread.
 * A handler failure throws: the host abandons the message and Service Bus redelivers it (then dead-letters it).
 */
export async function consume<T extends Record<string, unknown>>(
  subscriber: Subscriber<T>,
  body: unknown,
  context: InvocationContext,
): Promise<void> {
  const delivery = deliveryOf(context);
  let log = new Logger(context, { subscriber: subscriber.name, message_id: delivery.messageId });
  const parsed = parseInboundEvent(body, subscriber.data);
  const reason = !parsed.ok
    ? parsed.reason
    : subscriber.types.includes(parsed.event.type)
      ? null
      : `type: ${parsed.event.type} is not handled here`;
  if (!parsed.ok || reason) {
    const record = await recordMalformed(subscriber.name, { body, ...delivery }, reason ?? "");
    log.warn("malformed message recorded and completed", { reason: record.reason, record_id: record.id });
    return;
  }
  const event = parsed.event;
  log = log.with({ org_id: event.orgid, event_id: event.id, event_type: event.type });
  if (await wasProcessed(subscriber.name, event.orgid, event.id)) {
    log.info("event already handled; completed");
    return;
  }
  await subscriber.handle(event, log);
  await markProcessed(subscriber.name, event);
}
