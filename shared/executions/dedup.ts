// Deduplication on agent + event within a 5-minute rolling window, decided by timestamps (never by TTL).
import { createHash } from "node:crypto";
import { nowMs } from "../clock";
import { isAppError } from "../errors";
import type { StoredDoc } from "../store/repository";
import { TenantRepository } from "../store/repository";

export const DEDUP_WINDOW_MS = 5 * 60 * 1000;

interface DedupDoc extends StoredDoc {
  kind: "dedup";
  agent_id: string;
  event_id: string;
  /** 0 for the first window, +1 each time the event comes back after its window. */
  generation: number;
  window_started_at: string;
  execution_id: string;
}

const dedupDocs = new TenantRepository<DedupDoc>("executions");

const digest = (...parts: string[]) => createHash("sha256").update(parts.join("\n")).digest("base64url");

/** The execution (and Durable instance) id for an agent, an event and a window: the same inputs, the same id. */
export const executionIdFor = (orgId: string, agentId: string, eventId: string, generation: number): string =>
  `ex_${digest(orgId, agentId, eventId, String(generation)).slice(0, 32)}`;

export type Claim =
  | { kind: "new"; executionId: string; auditWritten: boolean }
  | { kind: "within_window"; executionId: string };

/**
 * Claims the right to run `agentId` for `eventId`: the first claim in a window wins; later ones are duplicates.
 * A first claim writes the dedup record and the execution's audit document (`auditFor`) in one batch.
 */
export async function claimExecution(
  orgId: string,
  agentId: string,
  eventId: string,
  auditFor: (executionId: string) => StoredDoc,
): Promise<Claim> {
  const id = `dedup_${digest(agentId, eventId).slice(0, 40)}`;
  for (let attempt = 0; attempt < 5; attempt++) {
    const at = nowMs();
    const fresh: DedupDoc = {
      id,
      org_id: orgId,
      kind: "dedup",
      agent_id: agentId,
      event_id: eventId,
      generation: 0,
      window_started_at: new Date(at).toISOString(),
      execution_id: executionIdFor(orgId, agentId, eventId, 0),
    };
    try {
      await dedupDocs.batch(orgId, [
        { operationType: "Create", resourceBody: { ...fresh } },
        { operationType: "Create", resourceBody: { ...auditFor(fresh.execution_id) } },
      ]);
      return { kind: "new", executionId: fresh.execution_id, auditWritten: true };
    } catch (error) {
      if (!isAppError(error) || error.code !== "resource.conflict") throw error;
    }
    const existing = await dedupDocs.read(orgId, id);
    if (!existing) continue;
    if (at - Date.parse(existing.window_started_at) < DEDUP_WINDOW_MS) {
      return { kind: "within_window", executionId: existing.execution_id };
    }
    const generation = existing.generation + 1;
    const reopened: DedupDoc = {
      ...existing,
      generation,
      window_started_at: new Date(at).toISOString(),
      execution_id: executionIdFor(orgId, agentId, eventId, generation),
    };
    try {
      await dedupDocs.replace(reopened, existing._etag);
      return { kind: "new", executionId: reopened.execution_id, auditWritten: false };
    } catch (error) {
      // Someone else reopened the window first: read again and see their claim.
      if (!isAppError(error) || error.code !== "precondition.failed") throw error;
    }
  }
  throw new Error(`could not claim ${agentId} for event ${eventId}`);
}
