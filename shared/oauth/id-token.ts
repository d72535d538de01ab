// The OpenID Connect id_token (docs/sso.md): RS256 with Hub's signing key, `aud` the client, `nonce`, `auth_time`, `sid`, `amr`.
import { SignJWT } from "jose";
import { nowMs } from "../clock";
import { settings } from "../config";
import { AppError } from "../errors";
import type { OrgDoc, UserDoc } from "../identity/model";
import { importedKey, keyRing, signingKey } from "../auth/signing-keys";
import { TOKEN_ALGORITHM, issuer } from "../auth/tokens";
import type { AuthMethod } from "../auth/session";
import type { Scope } from "./scopes";
import { scopedClaims } from "./user-claims";

export interface IdTokenInput {
  user: UserDoc;
  org: OrgDoc;
  clientId: string;
  scope: Scope[];
  nonce?: string;
  authTimeMs: number;
  sid: string;
  /** How the session was signed in (RFC 8176): `["pwd"]` or `["pwd", "otp"]`. */
  amr: AuthMethod[];
}

export async function signIdToken(input: IdTokenInput): Promise<string> {
  const ring = await keyRing();
  const key = signingKey(ring.keys, nowMs());
  if (!key) throw new AppError("internal", "No signing key is active.");
  const issuedAt = Math.floor(nowMs() / 1000);
  return new SignJWT({
    ...scopedClaims(input.user, input.org, input.scope),
    auth_time: Math.floor(input.authTimeMs / 1000),
    sid: input.sid,
    amr: input.amr,
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
  })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: "JWT", kid: key.kid })
    .setIssuer(issuer())
    .setAudience(input.clientId)
    .setSubject(input.user.user_id)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + settings().HUB_TOKEN_TTL_SECONDS)
    .sign(await importedKey(key, "private"));
}
