// The credential step of the pipeline: a Bearer token or an X-Integration-Key becomes a Principal, or 401/403.
import type { HttpRequest } from "@azure/functions";
import { createHash, timingSafeEqual } from "node:crypto";
import { settings } from "../config";
import { AppError } from "../errors";
import type { Audience, AuthPolicy, AuthRequirement, Principal } from "./principal";
import { agentsRolesOf } from "../identity/model";
import type { OrgDoc } from "../identity/model";
import { clientIp } from "../http/client-ip";
import { addressAllowed } from "../keys/cidr";
import { recordKeyUse } from "../keys/usage-buffer";
import { verifyIntegrationKey } from "../keys/verify-key";
import { cachedOrg } from "./auth-state";
import type { LiveToken } from "./live-token";
import { liveAccessToken } from "./live-token";
import type { AccessClaims } from "./verify-token";
import { InvalidTokenError } from "./verify-token";

/** One answer for every failed check, so a caller never learns which one failed (docs/auth.md). */
const invalidCredential = () =>
  new AppError("auth.invalid_token", "The credential is not valid.", {
    headers: { "www-authenticate": 'Bearer error="invalid_token"' },
  });

const missingCredential = () =>
  new AppError("auth.missing_credential", "A credential is required.", {
    headers: { "www-authenticate": 'Bearer realm="hub"' },
  });

const forbidden = (message: string, bearer: boolean, log?: Record<string, string>) =>
  new AppError("auth.forbidden", message, {
    headers: bearer ? { "www-authenticate": 'Bearer error="insufficient_scope"' } : {},
    log,
  });

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

export async function resolvePrincipal(
  request: HttpRequest,
  requirement: AuthRequirement,
): Promise<Principal | null> {
  if (requirement === "none") return null;
  const authorization = request.headers.get("authorization");
  const integrationKey = request.headers.get("x-integration-key");
  if (requirement === "platform") {
    if (!authorization) throw missingCredential();
    if (!isPlatformToken(BEARER.exec(authorization)?.[1] ?? "")) throw invalidCredential();
    return null;
  }
  if (authorization && integrationKey) throw invalidCredential();
  if (authorization) {
    const token = BEARER.exec(authorization)?.[1];
    if (!token) throw invalidCredential();
    return userPrincipal(token, requirement);
  }
  if (integrationKey) return keyPrincipal(integrationKey.trim(), requirement, clientIp(request));
  throw missingCredential();
}

/** Constant-time: both sides are hashed to the same length before comparing. */
function isPlatformToken(presented: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(settings().PLATFORM_ADMIN_TOKEN));
}

const audiencesOf = (policy: AuthPolicy): Audience[] =>
  Array.isArray(policy.audience) ? policy.audience : [policy.audience];

async function userPrincipal(token: string, policy: AuthPolicy): Promise<Principal> {
  let live: LiveToken;
  try {
    live = await liveAccessToken(token, audiencesOf(policy));
  } catch (error) {
    if (error instanceof InvalidTokenError) throw invalidCredential();
    throw error;
  }
  const { claims, org, user } = live;
  // Roles come from the user as stored now (at most 4 s old), so a demotion does not wait for the token to expire.
  const principal: Principal = {
    kind: "user",
    org_id: org.org_id,
    user_id: user.user_id,
    orgRole: user.orgRole,
    roles: agentsRolesOf(user),
    scopes: [],
    jti: claims.jti,
  };
  authorizeUser(policy, principal, claims, org);
  return principal;
}

/**
 * The Agents API (a route Hub's own audience cannot reach) needs the org's `agents` entitlement today, whoever
 * calls: a person's token or a key. Checked on every request against the org as stored (at most 4 s old), so a
 * lapsed entitlement stops both at once.
 */
function requireAgentsEntitlement(reachedAs: Audience[], org: OrgDoc, bearer: boolean): void {
  if (!reachedAs.includes("hub") && !org.entitlements.includes("agents"))
    throw forbidden("This organization does not have the Agents product.", bearer);
}

function authorizeUser(policy: AuthPolicy, principal: Principal, claims: AccessClaims, org: OrgDoc): void {
  const tokenAudiences = typeof claims.aud === "string" ? [claims.aud] : (claims.aud ?? []);
  const accepted = audiencesOf(policy).filter((aud) => tokenAudiences.includes(aud));
  requireAgentsEntitlement(accepted, org, true);
  // The Agents API needs an Agents role too, whatever the route asks beyond that.
  if (!accepted.includes("hub") && principal.roles.length === 0) {
    throw forbidden("You do not have access to the Agents API.", true);
  }
  if (!policy.orgRoles && !policy.roles) return;
  const byOrgRole = policy.orgRoles?.includes(principal.orgRole!) ?? false;
  const byAgentsRole = policy.roles?.some((role) => principal.roles.includes(role)) ?? false;
  if (!byOrgRole && !byAgentsRole) throw forbidden("You do not have the role this requires.", true);
}

/**
 * A key from outside its allowed CIDR blocks, or without the route's scope, answers 403; both are counted per key
 * and day like accepted calls (shared/keys/usage-buffer.ts, no I/O here), and the request's log line names the key.
 */
async function keyPrincipal(text: string, policy: AuthPolicy, ip: string | null): Promise<Principal> {
  const doc = await verifyIntegrationKey(text);
  if (!doc) throw invalidCredential();
  const keyLog = { key_id: doc.id, org_id: doc.org_id };
  if (doc.allowed_cidrs && !addressAllowed(doc.allowed_cidrs, ip)) {
    recordKeyUse(doc, "refused_cidr", ip);
    throw forbidden("This integration key may not be used from this address.", false, keyLog);
  }
  const org = await cachedOrg(doc.org_id);
  if (org?.status !== "active") throw invalidCredential();
  requireAgentsEntitlement(audiencesOf(policy), org, false);
  if (!policy.scopes?.some((scope) => doc.scopes.includes(scope))) {
    recordKeyUse(doc, "refused_scope", ip);
    throw forbidden("This integration key does not have the scope this requires.", false, keyLog);
  }
  recordKeyUse(doc, "accepted", ip);
  return { kind: "key", org_id: doc.org_id, key_id: doc.id, roles: [], scopes: doc.scopes };
}
