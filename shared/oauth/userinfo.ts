// GET /api/oauth/userinfo (OIDC Core §5.3, docs/sso.md): the user behind a product's access token.
import type { HttpRequest } from "@azure/functions";
import { AppError } from "../errors";
import { liveAccessToken } from "../auth/live-token";
import { InvalidTokenError } from "../auth/verify-token";
import { CLIENT_SLUGS } from "./clients";
import { scopedClaims } from "./user-claims";

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

const invalidToken = () =>
  new AppError("auth.invalid_token", "The access token is not valid.", {
    headers: { "www-authenticate": 'Bearer error="invalid_token"' },
  });

/**
 * Hub's access tokens carry no scope, so userinfo answers what the token itself already says about the user:
 * the org facts, names and email.
 */
export async function userinfo(request: HttpRequest): Promise<Record<string, unknown>> {
  const token = BEARER.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!token) {
    throw new AppError("auth.missing_credential", "A Bearer access token is required.", {
      headers: { "www-authenticate": 'Bearer realm="hub"' },
    });
  }
  try {
    const { user, org } = await liveAccessToken(token, [...CLIENT_SLUGS, "hub"]);
    return { sub: user.user_id, ...scopedClaims(user, org, ["profile", "email"]) };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw invalidToken();
    throw error;
  }
}
