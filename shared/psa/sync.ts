// Brings a user's PSA agent record in line with Hub (docs/events.md), whatever order and however often events arrive.
import { now } from "../clock";
import { AppError } from "../errors";
import type { UserDoc } from "../identity/model";
import { readUser } from "../identity/repository";
import type { Logger } from "../log";
import { ProductCallError } from "../products/product-api";
import type { PsaAgentRecord } from "./agent-record";
import { desiredPsaRecord, samePsaRecord } from "./agent-record";
import { putPsaAgent } from "./client";
import type { PsaSyncDoc } from "./sync-state";
import { psaSyncId, readPsaSync, writePsaSync } from "./sync-state";

export type PsaSyncOutcome = "up_to_date" | "nothing_to_send" | "sent" | "rejected" | "no_user";

const ROUNDS = 5;

/** Syncs of one user run one after another in this process, so concurrent deliveries never call PSA twice. */
const running = new Map<string, Promise<unknown>>();
function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = running.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  running.set(key, next);
  void next
    .catch(() => undefined)
    .finally(() => {
      if (running.get(key) === next) running.delete(key);
    });
  return next;
}

const stateFor = (user: UserDoc, fields: Partial<PsaSyncDoc>, base: PsaSyncDoc | null): PsaSyncDoc => ({
  id: psaSyncId(user.user_id),
  org_id: user.org_id,
  type: "psa-sync",
  user_id: user.user_id,
  synced_version: base?.synced_version ?? 0,
  record_exists: base?.record_exists ?? false,
  ...(base?.last_record ? { last_record: base.last_record } : {}),
  synced_at: now().toISOString(),
  ...fields,
});

/**
 * The event only says "this user changed, at version v"; what is sent is always the user as stored now. Rules:
 * - nothing is sent when the state already reflects version ≥ v (a duplicate, or older than what PSA has);
 * - nothing is sent when PSA has no record and none is wanted (a user without `psa` access, or one who lost it
 *   before any sync ran), nor when PSA already holds exactly the desired record (a change PSA does not see);
 * - after a PUT the state moves to the version sent, conditionally on its ETag; if another sync wrote in between,
 *   this PUT may have landed after theirs, so the user is read again and sent again (idempotent) until a write
 *   of ours succeeds — the last PUT to land is then always of the newest version.
 */
export function syncPsaAgent(
  orgId: string,
  userId: string,
  eventVersion: number | undefined,
  log: Logger,
): Promise<PsaSyncOutcome> {
  return oneAtATime(`${orgId}/${userId}`, async () => {
    let sentUnrecorded = false;
    for (let round = 1; round <= ROUNDS; round++) {
      const state = await readPsaSync(orgId, userId);
      const settled = !sentUnrecorded && state !== null;
      if (settled && eventVersion !== undefined && state.synced_version >= eventVersion) return "up_to_date";
      const user = await readUser(orgId, userId);
      if (!user) return "no_user";
      const version = user.version ?? 0;
      if (settled && state.synced_version >= version) return "up_to_date";
      const record = desiredPsaRecord(user);
      // PSA never had this user and need not (nothing to create or deactivate), or already holds this very record.
      const nothingNew = state?.record_exists
        ? state.last_record !== undefined && samePsaRecord(state.last_record, record)
        : !record.active;
      if (nothingNew && !sentUnrecorded) {
        if (!state || (await writePsaSync(stateFor(user, { synced_version: version }, state), state)))
          return "nothing_to_send";
        continue;
      }
      const refused = await send(record, log);
      if (refused) {
        await writePsaSync(
          stateFor(user, { last_error: { ...refused, version, at: now().toISOString() } }, state),
          state,
        );
        return "rejected";
      }
      sentUnrecorded = true;
      const next = stateFor(
        user,
        { synced_version: version, record_exists: true, last_record: record },
        null,
      );
      if (await writePsaSync(next, state)) return "sent";
    }
    throw new AppError(
      "resource.conflict",
      "PSA sync kept racing with another sync; the message will be retried.",
    );
  });
}

/** Null when PSA took the record; the refusal when it answered a 4xx that no retry can fix. */
async function send(
  record: PsaAgentRecord,
  log: Logger,
): Promise<{ status: number | null; message: string } | null> {
  try {
    await putPsaAgent(record);
    log.info("PSA agent record sent", {
      user_id: record.portal_user_id,
      role: record.role,
      active: record.active,
    });
    return null;
  } catch (error) {
    if (error instanceof ProductCallError && error.status !== null) {
      log.error("PSA refused the agent record", { user_id: record.portal_user_id, status: error.status });
      return { status: error.status, message: error.message };
    }
    throw error; // 429/5xx after every retry, or PSA unreachable: let the bus redeliver
  }
}
