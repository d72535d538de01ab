// What each bus subscriber remembers per org: the event ids it has handled, and the messages it could not read.
import { createHash } from "node:crypto";
import { now } from "../clock";
import { GLOBAL_PARTITION, isOrgId } from "../identity/model";
import { TenantRepository } from "../store/repository";

const DAY = 24 * 60 * 60;
/**
 * A handled id is kept far longer than any redelivery or relay delay. Expiry only costs a repeated effect,
 * which every handler tolerates (the PSA sync's version rule, revocations that are already done).
 */
const PROCESSED_TTL = 30 * DAY;
const MALFORMED_TTL = 30 * DAY;

interface ProcessedDoc {
  id: string;
  org_id: string;
  type: "processed";
  subscriber: string;
  event_id: string;
  event_type: string;
  processed_at: string;
  ttl: number;
}

export interface MalformedDoc {
  id: string;
  org_id: string;
  type: "malformed";
  subscriber: string;
  message_id: string;
  delivery_count: number | null;
  reason: string;
  /** The start of the body, to diagnose the sender; the bus keeps no copy once the message is completed. */
  body_excerpt: string;
  received_at: string;
  ttl: number;
}

const processed = new TenantRepository<ProcessedDoc>("inbox");
const malformed = new TenantRepository<MalformedDoc>("inbox");

export const processedId = (subscriber: string, eventId: string) => `processed:${subscriber}:${eventId}`;

export async function wasProcessed(subscriber: string, orgId: string, eventId: string): Promise<boolean> {
  return (await processed.read(orgId, processedId(subscriber, eventId))) !== null;
}

export async function markProcessed(
  subscriber: string,
  event: { id: string; orgid: string; type: string },
): Promise<void> {
  await processed.upsert({
    id: processedId(subscriber, event.id),
    org_id: event.orgid,
    type: "processed",
    subscriber,
    event_id: event.id,
    event_type: event.type,
    processed_at: now().toISOString(),
    ttl: PROCESSED_TTL,
  });
}

/** The org the body claims if it reads as one, else the global partition: the record must land somewhere. */
function partitionOf(body: unknown): string {
  const orgid = (body as { orgid?: unknown } | null)?.orgid;
  return isOrgId(orgid) ? orgid : GLOBAL_PARTITION;
}

export async function recordMalformed(
  subscriber: string,
  message: { body: unknown; messageId: string; deliveryCount: number | null },
  reason: string,
): Promise<MalformedDoc> {
  const text = typeof message.body === "string" ? message.body : (JSON.stringify(message.body) ?? "");
  const digest = createHash("sha256").update(message.messageId).digest("hex").slice(0, 32);
  const doc: MalformedDoc = {
    id: `malformed:${subscriber}:${digest}`,
    org_id: partitionOf(message.body),
    type: "malformed",
    subscriber,
    message_id: message.messageId.slice(0, 256),
    delivery_count: message.deliveryCount,
    reason: reason.slice(0, 2_000),
    body_excerpt: text.slice(0, 4_096),
    received_at: now().toISOString(),
    ttl: MALFORMED_TTL,
  };
  await malformed.upsert(doc);
  return doc;
}
