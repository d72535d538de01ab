// The credential step of the pipeline: what a route requires and who the caller is.
import type { HttpRequest } from "@azure/functions";
import { AppError } from "../errors";

export type Audience = "hub" | "agents";

/** Who is calling, as every capability sees it; the org always comes from here. */
export interface Principal {
  org_id: string;
  user_id?: string;
  key_id?: string;
  roles: string[];
  scopes: string[];
}

export type AuthRequirement = "none" | { audience: Audience };

/**
 * Resolves the caller for a route. Bearer tokens and integration keys arrive with the Hub issue;
 * until then every protected route answers 401, which is the safe default.
 */
export async function authenticate(_request: HttpRequest, requirement: AuthRequirement): Promise<Principal | null> {
  if (requirement === "none") return null;
  throw new AppError("auth.missing_credential", "A credential is required.", {
    headers: { "www-authenticate": 'Bearer realm="hub"' },
  });
}
