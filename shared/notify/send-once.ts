// Sends each notification at most once per idempotency key: a record in the org's partition is written first.
import { createHash } from "node:crypto";
import { now } from "../clock";
import type { StoredDoc } from "../store/repository";
import { TenantRepository } from "../store/repository";
import type { Notification, SentNotification } from "./notification";

/**
 * Activities run at least once in Azure, and ACS SMS has no idempotency key (its `tag` is only a label), so the
 * record is what stops a re-run from texting someone twice. Kept with the executions (90 days).
 */
interface SentRecordDoc extends StoredDoc {
  kind: "notification_sent";
  channel: Notification["channel"];
  /** "sending" from before the send until it succeeds; a failed send removes the record so a retry sends. */
  status: "sending" | "sent";
  message_id?: string;
  recorded_at: string;
}

const records = new TenantRepository<SentRecordDoc>("executions");

const recordId = (idempotencyKey: string) =>
  `notification:${createHash("sha256").update(idempotencyKey).digest("hex")}`;

/**
 * Writes the record, then sends. A second send with the same key (a re-run, or a concurrent duplicate run) finds
 * the record and sends nothing. A crash between the record and the send loses that one message rather than risk
 * a duplicate: for people's phones and inboxes at most once is the right side to err on.
 */
export async function sendOnce(
  notification: Notification,
  send: (notification: Notification) => Promise<SentNotification>,
): Promise<SentNotification> {
  const id = recordId(notification.idempotency_key);
  const orgId = notification.org_id;
  const claimed = await records.createIfAbsent({
    id,
    org_id: orgId,
    kind: "notification_sent",
    channel: notification.channel,
    status: "sending",
    recorded_at: now().toISOString(),
  });
  if (!claimed) {
    const existing = await records.read(orgId, id);
    return { id: existing?.message_id ?? id };
  }
  let sent: SentNotification;
  try {
    sent = await send(notification);
  } catch (error) {
    await records.delete(orgId, id).catch(() => undefined);
    throw error;
  }
  await records.patch(orgId, id, [
    { op: "set", path: "/status", value: "sent" },
    { op: "set", path: "/message_id", value: sent.id },
  ]);
  return sent;
}
