// The small PSA client Hub's sync needs: one idempotent upsert of an agent record.
import { settings } from "../config";
import { callProductApi } from "../products/product-api";
import type { PsaAgentRecord } from "./agent-record";

/** Without a PSA base URL there is no PSA to sync with (a bare local run). */
export function psaConfigured(): boolean {
  return Boolean(settings().PRODUCT_PSA_BASE_URL);
}

/**
 * `PUT /agents/{portal_user_id}` with the whole record and the org's psa service key: PSA creates or replaces it, so
 * sending it twice is harmless. 429/5xx are retried with backoff honouring Retry-After (callProductApi); any other
 * 4xx rejects with a ProductCallError.
 */
export async function putPsaAgent(record: PsaAgentRecord): Promise<void> {
  await callProductApi({
    product: "psa",
    method: "PUT",
    path: `/agents/${encodeURIComponent(record.portal_user_id)}`,
    body: record,
    orgId: record.org_id,
  });
}
