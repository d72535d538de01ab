// Per-key, per-day use counts kept in this instance's memory and written in batches (docs/auth.md, "Usage by key").
import { randomUUID } from "node:crypto";
import { now, nowMs } from "../clock";
import { consoleLogger } from "../log";
import { TenantRepository } from "../store/repository";
import type { IntegrationKeyDoc } from "./repository";
import { integrationKeys } from "./repository";

export const USAGE_OUTCOMES = ["accepted", "refused_scope", "refused_cidr"] as const;
export type UsageOutcome = (typeof USAGE_OUTCOMES)[number];
export type UsageCounts = Record<UsageOutcome, number>;

/**
 * One document per key, day and instance, holding that instance's running totals: an instance only ever
 * overwrites its own document (an upsert, no read, no contention), and the usage API sums the instances.
 */
export interface KeyUsageDoc extends UsageCounts {
  id: string;
  org_id: string;
  type: "integration-key-usage";
  key_id: string;
  day: string;
  instance: string;
  updated_at: string;
}

export const keyUsage = new TenantRepository<KeyUsageDoc>("keys");

/** Flushed this often, or sooner when this many entries wait: what an instance that dies can lose. */
export const USAGE_FLUSH_EVERY_MS = 10_000;
const USAGE_FLUSH_AT_ENTRIES = 500;

const INSTANCE = randomUUID();
const totals = new Map<string, KeyUsageDoc>();
const lastUses = new Map<string, { org_id: string; key_id: string; at: string; ip: string | null }>();
const dirty = new Set<string>();
let timer: NodeJS.Timeout | undefined;
let flushing: Promise<void> = Promise.resolve();

/** Counts one request made with `key` (no I/O: the flush writes it later). */
export function recordKeyUse(
  key: Pick<IntegrationKeyDoc, "org_id" | "id">,
  outcome: UsageOutcome,
  ip: string | null,
) {
  const at = now();
  const day = at.toISOString().slice(0, 10);
  const entryKey = `${key.org_id}/${key.id}/${day}`;
  let entry = totals.get(entryKey);
  if (!entry) {
    entry = {
      id: `usage:${key.id}:${day}:${INSTANCE}`,
      org_id: key.org_id,
      type: "integration-key-usage",
      key_id: key.id,
      day,
      instance: INSTANCE,
      accepted: 0,
      refused_scope: 0,
      refused_cidr: 0,
      updated_at: at.toISOString(),
    };
    totals.set(entryKey, entry);
  }
  entry[outcome] += 1;
  entry.updated_at = at.toISOString();
  dirty.add(entryKey);
  lastUses.set(`${key.org_id}/${key.id}`, { org_id: key.org_id, key_id: key.id, at: at.toISOString(), ip });
  if (dirty.size >= USAGE_FLUSH_AT_ENTRIES) void flushKeyUsage();
  else scheduleFlush();
}

/** One pending timer at a time; unref'd so it never keeps a process alive. */
function scheduleFlush(): void {
  if (timer) return;
  timer = setTimeout(() => {
    timer = undefined;
    void flushKeyUsage();
  }, USAGE_FLUSH_EVERY_MS);
  timer.unref();
}

/** Writes what changed since the last flush; flushes run one after another so an older total never lands last. */
export function flushKeyUsage(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  flushing = flushing.then(writePending, writePending);
  return flushing;
}

async function writePending(): Promise<void> {
  const entries = [...dirty];
  dirty.clear();
  const uses = [...lastUses.values()];
  lastUses.clear();
  const failed: string[] = [];
  await Promise.all(
    entries.map(async (entryKey) => {
      const entry = totals.get(entryKey);
      if (!entry) return;
      await keyUsage.upsert({ ...entry }).catch(() => failed.push(entryKey));
    }),
  );
  await Promise.all(
    uses.map((use) =>
      integrationKeys
        .patch(use.org_id, use.key_id, [
          { op: "set", path: "/last_used_at", value: use.at },
          { op: "set", path: "/last_used_ip", value: use.ip },
        ])
        .catch(() => undefined),
    ),
  );
  for (const entryKey of failed) dirty.add(entryKey);
  if (failed.length > 0) {
    consoleLogger().warn("key usage flush failed; kept for the next one", { entries: failed.length });
    scheduleFlush();
  }
  forgetOldDays();
}

/** Totals of days before yesterday are final here once written: drop them so memory stays bounded. */
function forgetOldDays(): void {
  const yesterday = new Date(nowMs() - 86_400_000).toISOString().slice(0, 10);
  for (const [entryKey, entry] of totals) {
    if (entry.day < yesterday && !dirty.has(entryKey)) totals.delete(entryKey);
  }
}
