// Per user, what Hub last sent to PSA: the version it reflects, behind an ETag so racing syncs cannot both win.
import { isAppError } from "../errors";
import type { WithEtag } from "../store/repository";
import { TenantRepository } from "../store/repository";
import type { PsaAgentRecord } from "./agent-record";

export interface PsaSyncDoc {
  id: string;
  org_id: string;
  type: "psa-sync";
  user_id: string;
  /** The user version the record at PSA reflects. */
  synced_version: number;
  /** Whether PSA holds a record for the user (any PUT creates one). */
  record_exists: boolean;
  last_record?: PsaAgentRecord;
  synced_at: string;
  /** A call PSA refused (4xx other than 429): kept for support; the next change tries again. */
  last_error?: { status: number | null; message: string; version: number; at: string };
}

const states = new TenantRepository<PsaSyncDoc>("inbox");
export const psaSyncId = (userId: string) => `psa-sync:${userId}`;

export const readPsaSync = (orgId: string, userId: string): Promise<WithEtag<PsaSyncDoc> | null> =>
  states.read(orgId, psaSyncId(userId));

/** Writes the state only if nobody wrote it since `previous` was read; false when someone did. */
export async function writePsaSync(doc: PsaSyncDoc, previous: WithEtag<PsaSyncDoc> | null): Promise<boolean> {
  if (!previous) return (await states.createIfAbsent(doc)) !== null;
  try {
    await states.replace(doc, previous._etag);
    return true;
  } catch (error) {
    if (isAppError(error) && (error.code === "precondition.failed" || error.code === "resource.not_found")) {
      return false;
    }
    throw error;
  }
}
