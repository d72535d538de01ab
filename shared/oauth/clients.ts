// The products registered as OAuth clients of Hub, read from settings (docs/sso.md): redirect URIs, origins, secret.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Settings } from "../config";
import { settings } from "../config";

/** The products that can be clients; a client's id is its lower-case slug. */
export const CLIENT_SLUGS = ["psa", "portal", "agents", "defend", "jarvis"] as const;
export type ClientId = (typeof CLIENT_SLUGS)[number];

export interface OAuthClient {
  client_id: ClientId;
  redirect_uris: string[];
  origins: string[];
  /** Absent: the product makes no back-channel calls (introspection) and uses the token endpoint as a public client. */
  secret?: string;
}

type Upper = Uppercase<ClientId>;

function clientFrom(all: Settings, id: ClientId): OAuthClient {
  const slug = id.toUpperCase() as Upper;
  return {
    client_id: id,
    redirect_uris: all[`PRODUCT_${slug}_REDIRECT_URIS`],
    origins: all[`PRODUCT_${slug}_ORIGINS`],
    secret: all[`PRODUCT_${slug}_CLIENT_SECRET`],
  };
}

/** The registered client, or null for an unknown id or a product with no redirect URI and no secret. */
export function clientById(id: string): OAuthClient | null {
  if (!(CLIENT_SLUGS as readonly string[]).includes(id)) return null;
  const client = clientFrom(settings(), id as ClientId);
  return client.redirect_uris.length || client.secret ? client : null;
}

/** Every browser origin some product registered (CORS and the cross-site check allow exactly these). */
export function registeredOrigins(): Set<string> {
  const all = settings();
  return new Set(CLIENT_SLUGS.flatMap((id) => clientFrom(all, id).origins));
}

/** Constant-time: both sides are hashed to one length first. */
export function secretMatches(client: OAuthClient, presented: string): boolean {
  if (!client.secret) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(client.secret));
}
