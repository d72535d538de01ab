// The outbox relay: publishes events whose immediate publication failed (bus down, crash after commit).
import { nowMs } from "../clock";
import type { Logger } from "../log";
import { scanAllPartitions } from "../store/platform-scan";
import type { OutboxDoc } from "./outbox";
import { OUTBOX_CONTAINERS, markLeftBehind, publishCommitted, takeLeftBehindFlag } from "./outbox";

/** Younger entries are most likely being published right after their commit; the relay leaves them be. */
export const RELAY_MIN_AGE_MS = 5_000;
/** Per container and run, so one run stays short; the next run takes the rest. */
const BATCH = 500;
/**
 * A scan reads every partition, so it runs when this process knows it left events behind, and otherwise every
 * 5 minutes for what other instances left (one that crashed between commit and publish).
 */
const FULL_SCAN_EVERY_MS = 5 * 60_000;
let lastFullScan = nowMs();

export interface RelayReport {
  published: number;
  left: number;
}

export async function relayPendingEvents(log: Logger): Promise<RelayReport> {
  const report: RelayReport = { published: 0, left: 0 };
  const at = nowMs();
  if (!takeLeftBehindFlag() && at - lastFullScan < FULL_SCAN_EVERY_MS) return report;
  lastFullScan = at;
  const cutoff = at - RELAY_MIN_AGE_MS;
  for (const container of OUTBOX_CONTAINERS) {
    const pending = await scanAllPartitions<OutboxDoc>(
      container,
      { query: "SELECT * FROM c WHERE c.type = 'outbox'" },
      BATCH,
    );
    if (pending.length === BATCH || pending.some((doc) => doc.created_at_ms > cutoff)) markLeftBehind();
    const byPartition = new Map<string, OutboxDoc[]>();
    for (const doc of pending.filter((entry) => entry.created_at_ms <= cutoff)) {
      byPartition.set(doc.org_id, [...(byPartition.get(doc.org_id) ?? []), doc]);
    }
    for (const [partition, docs] of byPartition) {
      const events = docs.map((doc) => doc.event);
      const sent = await publishCommitted(container, partition, events, log);
      if (sent) report.published += events.length;
      else report.left += events.length;
    }
  }
  if (report.published + report.left > 0) log.info("outbox relay", { ...report });
  return report;
}
