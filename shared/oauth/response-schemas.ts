// The bodies of Hub's OAuth and OpenID Connect endpoints as the API reference declares them (docs/sso.md).
import { z } from "zod";

/** RFC 6749 §5.1: the token set; members may be added later (OAuth is extensible). */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int(),
  refresh_token: z.string(),
  scope: z.string(),
  id_token: z.string().optional(),
});

/** RFC 6749 §5.2: OAuth errors are this JSON, not problem+json. */
export const oauthErrorSchema = z
  .looseObject({ error: z.string(), error_description: z.string().optional() })
  .meta({ id: "OAuthError" });

/** RFC 7662: `active` always; the rest only for an active token, and depends on the kind of token. */
export const introspectionSchema = z.looseObject({ active: z.boolean() });

/** OpenID Connect userinfo: `sub` always, the other claims by scope. */
export const userinfoSchema = z.looseObject({ sub: z.string() });

/** The error answers of the back-channel endpoints (token, introspect): RFC 6749 §5.2 bodies, not problem+json. */
export const backChannelErrors = {
  400: { description: "OAuth error (RFC 6749 §5.2)", body: oauthErrorSchema },
  401: { description: "Client authentication failed (RFC 6749 §5.2)", body: oauthErrorSchema },
} as const;
