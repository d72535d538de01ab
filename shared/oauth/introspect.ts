// POST /api/oauth/introspect (RFC 7662, docs/sso.md): the one door through which a product asks about a credential.
import type { HttpRequest } from "@azure/functions";
import { AppError } from "../errors";
import { cachedOrg, cachedUser } from "../auth/auth-state";
import { liveAccessToken } from "../auth/live-token";
import { amrOf, sessionByCookieValue, sidOf } from "../auth/session";
import { lacksRequiredSecondFactor } from "../mfa/policy";
import { issuer } from "../auth/tokens";
import { InvalidTokenError } from "../auth/verify-token";
import type { OrgDoc, UserDoc } from "../identity/model";
import { agentsRolesOf, mayAccessProduct } from "../identity/model";
import { mayHoldServiceKey } from "../keys/service-keys";
import { verifyIntegrationKey } from "../keys/verify-key";
import type { Logger } from "../log";
import { authenticateClient } from "./client-auth";

const INACTIVE = { active: false } as const;
const MAX_CREDENTIAL_LENGTH = 8 * 1024;

type Introspection = { active: false } | ({ active: true; token_type: string } & Record<string, unknown>);

/** Who the user is to the calling product: the same facts an access token carries. */
const userFacts = (user: UserDoc, org: OrgDoc) => ({
  sub: user.user_id,
  user_id: user.user_id,
  org_id: org.org_id,
  tenantSlug: org.slug,
  email: user.email,
  orgRole: user.orgRole,
  roles: agentsRolesOf(user),
  product_access: user.product_access,
  entitlements: org.entitlements,
});

/**
 * Active only for the calling product: an access token issued to it, a session or an integration key of an org
 * entitled to it (a service key: the calling product's own). Anything else — malformed, revoked, expired, another product's token — is `{active: false}`.
 */
export async function introspect(
  request: HttpRequest,
  form: Record<string, string>,
  log: Logger,
): Promise<Introspection> {
  const { client } = authenticateClient(request, form, true);
  const token = form.token;
  if (token === undefined) throw new AppError("oauth.invalid_request", "token is required.");
  const result = token.length > MAX_CREDENTIAL_LENGTH ? INACTIVE : await describe(token, client.client_id);
  log.info("introspection", {
    client_id: client.client_id,
    active: result.active,
    token_type: result.active ? result.token_type : undefined,
    org_id: result.active ? String(result.org_id) : undefined,
  });
  return result;
}

async function describe(token: string, product: string): Promise<Introspection> {
  if (token.startsWith("ik_")) return describeKey(token, product);
  if (token.startsWith("ey")) return describeAccessToken(token, product);
  return describeSession(token, product);
}

async function describeAccessToken(token: string, product: string): Promise<Introspection> {
  try {
    const { claims, user, org } = await liveAccessToken(token, [product]);
    return {
      active: true,
      token_type: "access_token",
      client_id: claims.client_id,
      aud: claims.aud,
      iss: issuer(),
      jti: claims.jti,
      iat: claims.iat,
      exp: claims.exp,
      ...userFacts(user, org),
    };
  } catch (error) {
    if (error instanceof InvalidTokenError) return INACTIVE;
    throw error;
  }
}

async function describeSession(value: string, product: string): Promise<Introspection> {
  const session = await sessionByCookieValue(value);
  if (!session) return INACTIVE;
  const [user, org] = await Promise.all([
    cachedUser(session.org_id, session.user_id),
    cachedOrg(session.org_id),
  ]);
  if (user?.status !== "active" || org?.status !== "active" || !mayAccessProduct(org, user, product))
    return INACTIVE;
  // A session the org's second-factor policy would refuse a token to is no way in either (docs/auth.md).
  if (lacksRequiredSecondFactor(org, user, session)) return INACTIVE;
  return {
    active: true,
    token_type: "session",
    sid: sidOf(session),
    amr: amrOf(session),
    iat: Math.floor(session.created_at_ms / 1000),
    exp: Math.floor(session.expires_at_ms / 1000),
    ...userFacts(user, org),
  };
}

async function describeKey(text: string, product: string): Promise<Introspection> {
  const doc = await verifyIntegrationKey(text);
  if (!doc) return INACTIVE;
  const org = await cachedOrg(doc.org_id);
  if (org?.status !== "active" || !org.entitlements.includes(product)) return INACTIVE;
  // A service key is for one product, and only while the org may hold it (it lost neither the product nor agents).
  if (doc.kind === "service" && (doc.product !== product || !mayHoldServiceKey(org, product)))
    return INACTIVE;
  return {
    active: true,
    token_type: "integration_key",
    key_id: doc.id,
    kind: doc.kind ?? "user",
    ...(doc.kind === "service" ? { product: doc.product } : {}),
    org_id: org.org_id,
    tenantSlug: org.slug,
    scope: doc.scopes.join(" "),
    entitlements: org.entitlements,
    // Hub cannot see the product's caller, so the product enforces the key's allow-list (docs/auth.md).
    ...(doc.allowed_cidrs ? { allowed_cidrs: doc.allowed_cidrs } : {}),
    ...(doc.expires_at ? { exp: Math.floor(Date.parse(doc.expires_at) / 1000) } : {}),
  };
}
