// The shapes of the public key set and the discovery document products read to validate Hub's tokens (docs/auth.md).
import { z } from "zod";

export const jwksSchema = z.object({
  keys: z.array(
    z
      .looseObject({ kty: z.literal("RSA"), kid: z.string(), n: z.string(), e: z.string() })
      .describe("A public RS256 key (RFC 7517)"),
  ),
});

/** OpenID Provider metadata: extensible by design (RFC 8414), so members beyond these may appear. */
export const openIdConfigurationSchema = z.looseObject({
  issuer: z.string(),
  jwks_uri: z.string(),
});
