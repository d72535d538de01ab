// The token response of both grants (docs/sso.md): Hub's access token, a rotated refresh token, and an id_token.
import { decodeJwt } from "jose";
import type { OrgDoc, UserDoc } from "../identity/model";
import type { SessionDoc } from "../auth/session";
import { amrOf, sidOf } from "../auth/session";
import { issueAccessToken } from "../auth/tokens";
import { signIdToken } from "./id-token";
import type { Binding } from "./refresh-tokens";
import type { FamilyDoc } from "./refresh-tokens";
import { addToFamily, familyIdOf, newRefreshToken, startFamily } from "./refresh-tokens";
import type { Scope } from "./scopes";

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  scope: string;
  id_token?: string;
}

export interface IssueInput {
  session: SessionDoc;
  user: UserDoc;
  org: OrgDoc;
  clientId: string;
  scope: Scope[];
  nonce?: string;
  /** The family to rotate within (refresh); absent for a new family (authorization code). */
  family?: FamilyDoc;
}

/** Issues the set and returns it with the family and the access token's jti (for reuse revocation). */
export async function issueTokenSet(
  input: IssueInput,
): Promise<{ response: TokenResponse; familyId: string; jti: string }> {
  // The very token POST /api/auth/token issues: audience = the client's product, the same claims and record.
  const access = await issueAccessToken(input.user, input.org, input.clientId, input.session);
  const claims = decodeJwt(access.access_token);
  const issued = { jti: String(claims.jti), expires_at_ms: Number(claims.exp) * 1000 };
  const jti = issued.jti;
  const binding: Binding = {
    org_id: input.org.org_id,
    client_id: input.clientId,
    user_id: input.user.user_id,
    session_doc_id: input.session.id,
    scope: input.scope,
    expires_at_ms: input.session.expires_at_ms,
  };
  let familyId: string;
  if (input.family) {
    await addToFamily(input.family, issued);
    familyId = familyIdOf(input.family);
  } else familyId = await startFamily(binding, issued);
  const refreshToken = await newRefreshToken(familyId, binding);
  const idToken = input.scope.includes("openid")
    ? await signIdToken({
        user: input.user,
        org: input.org,
        clientId: input.clientId,
        scope: input.scope,
        nonce: input.nonce,
        authTimeMs: input.session.created_at_ms,
        amr: amrOf(input.session),
        sid: sidOf(input.session),
      })
    : undefined;
  return {
    response: {
      ...access,
      refresh_token: refreshToken,
      scope: input.scope.join(" "),
      ...(idToken ? { id_token: idToken } : {}),
    },
    familyId,
    jti,
  };
}
