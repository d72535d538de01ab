// Envelopes on the agents subscription that can never run: recorded (90 days, like executions) and completed.
import { createHash, randomUUID } from "node:crypto";
import { now } from "../clock";
import { isOrgId } from "../identity/model";
import type { Logger } from "../log";
import type { StoredDoc } from "../store/repository";
import { TenantRepository } from "../store/repository";

/** Kept for whoever asks why nothing happened. */
interface InvalidEventDoc extends StoredDoc {
  kind: "invalid_event";
  received_at: string;
  problems: string[];
  raw: string;
  message_id?: string;
}

const invalidEvents = new TenantRepository<InvalidEventDoc>("executions");
const INVALID_PARTITION = "_invalid";
const RAW_LIMIT = 8_000;

/** The message as text for the record; a value JSON cannot write (too deep, cyclic) is named, not thrown. */
function rawText(message: unknown): string {
  if (typeof message === "string") return message.slice(0, RAW_LIMIT);
  if (Buffer.isBuffer(message)) return message.toString("utf8", 0, RAW_LIMIT);
  try {
    return (JSON.stringify(message ?? null) ?? "undefined").slice(0, RAW_LIMIT);
  } catch {
    return "(not serialisable as JSON)";
  }
}

/**
 * Records the envelope once per message: a redelivery (its batch failed for another message) finds the record of
 * its first delivery by the message id, so it writes nothing new.
 */
export async function recordInvalidEvent(
  message: unknown,
  messageId: string | undefined,
  problems: string[],
  log: Logger,
): Promise<void> {
  const raw = rawText(message);
  const orgid = (message as { orgid?: unknown } | null)?.orgid;
  const partition = isOrgId(orgid) ? orgid : INVALID_PARTITION;
  const key = messageId
    ? createHash("sha256").update(`${messageId}\n${raw}`).digest("base64url").slice(0, 40)
    : randomUUID();
  await invalidEvents.createIfAbsent({
    id: `invalid_${key}`,
    org_id: partition,
    kind: "invalid_event",
    received_at: now().toISOString(),
    problems,
    raw,
    ...(messageId ? { message_id: messageId } : {}),
  });
  log.warn("invalid event envelope dropped", { org_id: partition, message_id: messageId, problems });
}
