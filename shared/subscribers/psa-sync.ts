// The `psa-sync` subscriber (docs/events.md): every identity event of a user brings their PSA agent record up to date.
import { z } from "zod";
import { cachedOrg } from "../auth/auth-state";
import type { CloudEvent } from "../events/cloud-event";
import { userIdSchema } from "../identity/model";
import { mayHoldServiceKey } from "../keys/service-keys";
import type { Logger } from "../log";
import { psaConfigured } from "../psa/client";
import { syncPsaAgent } from "../psa/sync";
import type { Subscriber } from "./consume";
import { typesOf } from "./consume";

const userEventData = z.object({
  user_id: userIdSchema,
  version: z.number().int().min(0).optional(),
});
type UserEventData = z.infer<typeof userEventData>;

/**
 * Which event arrived does not decide what is sent: the record always comes from the user as stored now, so a
 * grant, a role change, a revocation and a deactivation all converge on the same PUT, in any order.
 */
async function syncFromEvent(event: CloudEvent<UserEventData>, log: Logger): Promise<void> {
  if (!psaConfigured()) {
    log.info("PSA sync skipped: PRODUCT_PSA_BASE_URL is not set");
    return;
  }
  // PSA accepts only the org's psa service key, which an org holds with the psa and agents entitlements.
  if (!mayHoldServiceKey(await cachedOrg(event.orgid), "psa")) {
    log.info("PSA sync skipped: the org has no psa service key", { user_id: event.data.user_id });
    return;
  }
  const outcome = await syncPsaAgent(event.orgid, event.data.user_id, event.data.version, log);
  log.info("PSA sync", { user_id: event.data.user_id, outcome });
}

export const psaSyncSubscriber: Subscriber<UserEventData> = {
  name: "psa-sync",
  types: typesOf("psa-sync"),
  data: userEventData,
  handle: syncFromEvent,
};
