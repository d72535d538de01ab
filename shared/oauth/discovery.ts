// The provider metadata (OIDC Discovery, RFC 8414; docs/sso.md): every endpoint that exists, and nothing else.
import { issuer } from "../auth/tokens";
import { SUPPORTED_SCOPES } from "./scopes";

export function providerMetadata(): Record<string, unknown> {
  const base = issuer();
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    userinfo_endpoint: `${base}/oauth/userinfo`,
    introspection_endpoint: `${base}/oauth/introspect`,
    end_session_endpoint: `${base}/oauth/logout`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    scopes_supported: [...SUPPORTED_SCOPES],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
    prompt_values_supported: ["none", "login"],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "sid",
      "amr",
      "name",
      "given_name",
      "family_name",
      "email",
      "org_id",
      "tenantSlug",
      "tenantName",
      "orgRole",
      "roles",
    ],
    authorization_response_iss_parameter_supported: true,
  };
}
