// The one catalogue of integration key scopes (docs/auth.md, "Scopes"): the Agents API's, then each product's.
import { KNOWN_PRODUCTS } from "../identity/model";

/** What the Agents API and Hub's event intake accept from a key. */
export const AGENTS_KEY_SCOPES = [
  "agents:read",
  "agents:write",
  "executions:read",
  "events:publish",
] as const;

/** Products other than Agents whose backends accept Hub keys; each has a read and a write scope. */
export const SCOPED_PRODUCTS = KNOWN_PRODUCTS.filter(
  (product): product is Exclude<(typeof KNOWN_PRODUCTS)[number], "agents"> => product !== "agents",
);
type ScopedProduct = (typeof SCOPED_PRODUCTS)[number];

export type ProductKeyScope = `${ScopedProduct}:${"read" | "write"}`;
export type KeyScope = (typeof AGENTS_KEY_SCOPES)[number] | ProductKeyScope;

export const PRODUCT_KEY_SCOPES: readonly ProductKeyScope[] = SCOPED_PRODUCTS.flatMap((product) => [
  `${product}:read` as const,
  `${product}:write` as const,
]);

export const KEY_SCOPES: readonly [KeyScope, ...KeyScope[]] = [...AGENTS_KEY_SCOPES, ...PRODUCT_KEY_SCOPES];

/** The product a scope is for, when it is a product scope (the org must hold that entitlement). */
export function productOfScope(scope: KeyScope): ScopedProduct | null {
  const product = scope.slice(0, scope.indexOf(":"));
  return (SCOPED_PRODUCTS as readonly string[]).includes(product) ? (product as ScopedProduct) : null;
}
