// The public keys and discovery documents products use to validate Hub's tokens and find its endpoints (docs/sso.md).
import { app } from "@azure/functions";
import { nowMs } from "../shared/clock";
import { publishedKeys, keyRing } from "../shared/auth/signing-keys";
import { httpRoute, json } from "../shared/http/route";
import { providerMetadata } from "../shared/oauth/discovery";

app.http(
  "jwks",
  httpRoute({
    methods: ["GET"],
    route: ".well-known/jwks.json",
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
    auth: "none",
    handler: async () => json(200, providerMetadata(), { "cache-control": "public, max-age=300" }),
  }),
);

app.http(
  "oauthServerMetadata",
  httpRoute({
    methods: ["GET"],
    route: ".well-known/oauth-authorization-server",
    auth: "none",
    handler: async () => json(200, providerMetadata(), { "cache-control": "public, max-age=300" }),
  }),
);
