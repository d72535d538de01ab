// Exchanges a session for an RS256 `at+jwt` access token carrying every claim of docs/auth.md.
import { z } from "zod";
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { nowMs } from "../clock";
import { settings } from "../config";
import { AppError } from "../errors";
import type { OrgDoc, UserDoc } from "../identity/model";
import { agentsRolesOf, mayAccessProduct } from "../identity/model";
import { portalOrgIdsOf } from "../portal/portal-clients";
import { importedKey, keyRing, signingKey } from "./signing-keys";
import { recordIssuedToken } from "./token-records";
import type { SessionDoc } from "./session";
import { amrOf } from "./session";
import { assertSecondFactorIfRequired } from "../mfa/policy";

export const TOKEN_TYPE = "at+jwt";
export const TOKEN_ALGORITHM = "RS256";

/** Hub's issuer: the API base, where `/.well-known/openid-configuration` is served (OIDC discovery rule). */
export const issuer = (): string => `${settings().PUBLIC_BASE_URL.replace(/\/$/, "")}/api`;

export const issuedTokenSchema = z.object({
  access_token: z.string().describe("An RS256 JWT (typ at+jwt); docs/auth.md lists its claims"),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int().describe("Seconds"),
});

export type IssuedToken = z.infer<typeof issuedTokenSchema>;

/**
 * The one place an access token is made (session exchange and the OAuth grants): the product check, the org's
 * second-factor policy, `amr` from the session the token comes from,
 * and that session recorded with the token (a password change keeps that session's tokens).
 */
export async function issueAccessToken(
  user: UserDoc,
  org: OrgDoc,
  audience: string,
  session: Pick<SessionDoc, "amr" | "id">,
): Promise<IssuedToken> {
  if (!mayAccessProduct(org, user, audience)) {
    throw new AppError(
      "auth.forbidden",
      org.entitlements.includes(audience) || audience === "hub"
        ? "You do not have access to this product."
        : "Your organization is not entitled to this product.",
    );
  }
  assertSecondFactorIfRequired(org, user, session);
  const ring = await keyRing();
  const key = signingKey(ring.keys, nowMs());
  if (!key) throw new AppError("internal", "No signing key is active.");
  const ttl = settings().HUB_TOKEN_TTL_SECONDS;
  const issuedAt = Math.floor(nowMs() / 1000);
  const jti = randomUUID();
  // Portal scopes what a user sees to the org's client organisations (docs/auth.md, "Claims").
  const portalClaims = audience === "portal" ? { portalClients: await portalOrgIdsOf(org.org_id) } : {};
  await recordIssuedToken(org.org_id, {
    jti,
    user_id: user.user_id,
    audience,
    session_doc_id: session.id,
    issued_at_ms: issuedAt * 1000,
    expires_at_ms: (issuedAt + ttl) * 1000,
  });
  const accessToken = await new SignJWT({
    client_id: audience,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    tenantId: org.org_id,
    tenantSlug: org.slug,
    tenantName: org.name,
    orgRole: user.orgRole,
    entitlements: org.entitlements,
    org_id: org.org_id,
    user_id: user.user_id,
    roles: agentsRolesOf(user),
    amr: amrOf(session),
    ...portalClaims,
  })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: TOKEN_TYPE, kid: key.kid })
    .setIssuer(issuer())
    .setAudience(audience)
    .setSubject(user.user_id)
    .setJti(jti)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + ttl)
    .sign(await importedKey(key, "private"));
  return { access_token: accessToken, token_type: "Bearer", expires_in: ttl };
}
