// How a sandboxed product authenticates a call: the one place to change when products verify Hub-issued keys another way.
import { settings } from "../../shared/config";
import { verifyServiceKey } from "../../shared/products/service-key";

/**
 * The org a call's `X-Integration-Key` belongs to, or null. Today a product checks the org's service key with
 * the secret it shares with Hub (docs/executions.md); a product that introspects keys at Hub instead would
 * answer the same question here.
 */
export function orgOfProductKey(key: string | undefined): string | null {
  const secret = settings().PRODUCT_SERVICE_KEY_SECRET;
  if (!key || !secret) return null;
  return verifyServiceKey(key, secret);
}
