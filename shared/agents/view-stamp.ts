// The org's agents view stamp: replaced in the same batch as every write to its agents partition, so a cached view
// is proven current with one point read (docs/agents.md, "How an event finds its agents").
import type { JSONObject, OperationInput } from "@azure/cosmos";
import { randomUUID } from "node:crypto";
import type { StoredDoc, WithEtag } from "../store/repository";
import { TenantRepository } from "../store/repository";

export const VIEW_STAMP_ID = "agents-view-stamp";

interface ViewStampDoc extends StoredDoc {
  kind: "agents_view_stamp";
  stamp: string;
}

const partition = new TenantRepository<ViewStampDoc>("agents");

/** What an org that never wrote to its partition since stamps exist reads: its view is cached under this. */
const NEVER_STAMPED = "never-stamped";

/** One point read: the stamp every cached view of the org is keyed by. */
export async function readViewStamp(orgId: string): Promise<string> {
  return (await partition.read(orgId, VIEW_STAMP_ID))?.stamp ?? NEVER_STAMPED;
}

/** One write to the org's agents partition. */
export type PartitionWrite<T extends StoredDoc> =
  { create: T } | { replace: T; ifMatch: string } | { upsert: T } | { delete: string; ifMatch?: string };

// Stored documents are JSON by construction; the SDK's JSONObject type cannot say so about an interface.
const json = (doc: StoredDoc) => ({ ...doc }) as unknown as JSONObject;

function operationOf<T extends StoredDoc>(write: PartitionWrite<T>): OperationInput {
  if ("create" in write) return { operationType: "Create", resourceBody: json(write.create) };
  if ("replace" in write)
    return {
      operationType: "Replace",
      id: write.replace.id,
      resourceBody: json(write.replace),
      ifMatch: write.ifMatch,
    };
  if ("upsert" in write) return { operationType: "Upsert", resourceBody: json(write.upsert) };
  return { operationType: "Delete", id: write.delete, ...(write.ifMatch ? { ifMatch: write.ifMatch } : {}) };
}

/**
 * Makes `write` and a new stamp in one transactional batch, so no reader can see the change under the old stamp.
 * The stamp is upserted, never read first: concurrent writers do not conflict on it, and a fresh random value
 * cannot repeat an older one. Resolves with the written document (none for a delete); throws what the write alone
 * would throw (`resource.conflict`, `precondition.failed`, `resource.not_found`).
 */
export async function writeStamped<T extends StoredDoc>(
  orgId: string,
  write: PartitionWrite<T>,
): Promise<WithEtag<T> | undefined> {
  const stamp: ViewStampDoc = {
    id: VIEW_STAMP_ID,
    org_id: orgId,
    kind: "agents_view_stamp",
    stamp: randomUUID(),
  };
  // The write first: if it fails, the stamp is not replaced (the emulator does not roll a batch back).
  const [result] = await partition.batch(orgId, [
    operationOf(write),
    { operationType: "Upsert", resourceBody: json(stamp) },
  ]);
  return result?.resourceBody as WithEtag<T> | undefined;
}
