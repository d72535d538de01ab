// The public keys and discovery documents products use to validate Hub's tokens and find its endpoints (docs/sso.md).
import { app } from "@azure/functions";
import { nowMs } from "../shared/clock";
import { publishedKeys, keyRing } from "../shared/auth/signing-keys";
import { jwksSchema, openIdConfigurationSchema } from "../shared/auth/discovery-schemas";
import { httpRoute, json } from "../shared/http/route";
import { providerMetadata } from "../shared/oauth/discovery";

app.http(
  "jwks",
  httpRoute({
    methods: ["GET"],
    route: ".well-known/jwks.json",
    summary: "The public keys that verify Hub's access tokens (JWKS)",
    responses: { 200: { description: "The key set (cacheable for 5 minutes)", body: jwksSchema } },
    auth: "none",
    handler: async () => {
      const ring = await keyRing();
      const keys = publishedKeys(ring.keys, nowMs()).map((key) => key.public_jwk);
      return json(200, { keys }, { "cache-control": "public, max-age=300" });
    },
  }),
);

app.http(
  "openidConfiguration",
  httpRoute({
    methods: ["GET"],
    route: ".well-known/openid-configuration",
    summary: "OpenID Provider metadata (issuer, jwks_uri, endpoints)",
    responses: { 200: { description: "The discovery document", body: openIdConfigurationSchema } },
    auth: "none",
    handler: async () => json(200, providerMetadata(), { "cache-control": "public, max-age=300" }),
  }),
);

app.http(
  "oauthServerMetadata",
  httpRoute({
    methods: ["GET"],
    route: ".well-known/oauth-authorization-server",
    summary: "OAuth 2.0 Authorization Server metadata (RFC 8414)",
    responses: { 200: { description: "The metadata", body: openIdConfigurationSchema } },
    auth: "none",
    handler: async () => json(200, providerMetadata(), { "cache-control": "public, max-age=300" }),
  }),
);
