// Deduplication on agent + event within a 5-minute rolling window, decided by timestamps (never by TTL).
import type { JSONObject, OperationInput } from "@azure/cosmos";
import { createHash } from "node:crypto";
import { nowMs } from "../clock";
import { AppError, isAppError } from "../errors";
import type { StoredDoc } from "../store/repository";
import { TenantRepository } from "../store/repository";
import { isTransientFailure } from "./transient-failure";

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

const dedupIdFor = (agentId: string, eventId: string) => `dedup_${digest(agentId, eventId).slice(0, 40)}`;

/** The record of a first claim: window 0, opened now. */
function firstWindow(orgId: string, agentId: string, eventId: string, at: number): DedupDoc {
  return {
    id: dedupIdFor(agentId, eventId),
    org_id: orgId,
    kind: "dedup",
    agent_id: agentId,
    event_id: eventId,
    generation: 0,
    window_started_at: new Date(at).toISOString(),
    execution_id: executionIdFor(orgId, agentId, eventId, 0),
  };
}

// Stored documents are JSON by construction; the SDK's JSONObject type cannot say so about an interface.
const create = (doc: StoredDoc): OperationInput => ({
  operationType: "Create",
  resourceBody: { ...doc } as unknown as JSONObject,
});

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
  const id = dedupIdFor(agentId, eventId);
  for (let attempt = 0; attempt < 5; attempt++) {
    const at = nowMs();
    const fresh = firstWindow(orgId, agentId, eventId, at);
    try {
      await dedupDocs.batch(orgId, [create(fresh), create(auditFor(fresh.execution_id))]);
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
  // Contention that outlasted every attempt passes with time: busy, so the fan-out's batch is redelivered.
  throw new AppError("service.busy", `Could not claim ${agentId} for event ${eventId}; try again shortly.`, {
    retryAfter: 1,
  });
}

/** One claim of a batch: an agent and an event of one org, and the audit document its execution starts with. */
export interface ClaimRequest {
  agentId: string;
  eventId: string;
  auditFor: (executionId: string) => StoredDoc;
}

export type ClaimOutcome = Claim | { kind: "failed"; error: unknown };

/** A Cosmos transactional batch holds at most 100 operations and 2 MB; claims are cut below both. */
const MAX_BATCH_OPERATIONS = 100;
const MAX_BATCH_BYTES = 1_800_000;

/** Claims in order, in runs that fit one transactional batch each (a claim larger than a batch stands alone). */
function* batchesOf(orgId: string, requests: readonly ClaimRequest[], at: number) {
  let run: { index: number; executionId: string; operations: OperationInput[] }[] = [];
  let operations = 0;
  let bytes = 0;
  for (const [index, request] of requests.entries()) {
    const dedup = firstWindow(orgId, request.agentId, request.eventId, at);
    const docs = [dedup, request.auditFor(dedup.execution_id)];
    const claim = docs.map(create);
    const size = docs.reduce((sum, doc) => sum + Buffer.byteLength(JSON.stringify(doc)), 0);
    if (
      run.length > 0 &&
      (operations + claim.length > MAX_BATCH_OPERATIONS || bytes + size > MAX_BATCH_BYTES)
    ) {
      yield run;
      run = [];
      operations = bytes = 0;
    }
    run.push({ index, executionId: dedup.execution_id, operations: claim });
    operations += claim.length;
    bytes += size;
  }
  if (run.length > 0) yield run;
}

/**
 * `claimExecution` for many agent and event pairs of one org (each pair once), in as few transactional batches as
 * Cosmos allows: a batch that writes succeeds for every claim in it. A batch that fails for any other reason than
 * the store being unavailable (a record already there: a redelivery, a window to reopen) is claimed again one
 * claim at a time, which also holds when the emulator left part of that batch written (it does not roll back).
 * An unavailable store fails the batch's claims; the caller has the message redelivered.
 */
export async function claimExecutions(
  orgId: string,
  requests: readonly ClaimRequest[],
): Promise<ClaimOutcome[]> {
  const outcomes: ClaimOutcome[] = [];
  for (const run of batchesOf(orgId, requests, nowMs())) {
    try {
      await dedupDocs.batch(
        orgId,
        run.flatMap((claim) => claim.operations),
      );
      for (const { index, executionId } of run)
        outcomes[index] = { kind: "new", executionId, auditWritten: true };
    } catch (error) {
      if (isTransientFailure(error)) {
        for (const { index } of run) outcomes[index] = { kind: "failed", error };
        continue;
      }
      await Promise.all(
        run.map(async ({ index }) => {
          const { agentId, eventId, auditFor } = requests[index]!;
          outcomes[index] = await claimExecution(orgId, agentId, eventId, auditFor).catch(
            (failure: unknown): ClaimOutcome => ({ kind: "failed", error: failure }),
          );
        }),
      );
    }
  }
  return outcomes;
}
