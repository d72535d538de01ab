// The public keys and discovery document products use to validate Hub's tokens (docs/auth.md).
import { app } from "@azure/functions";
import { nowMs } from "../shared/clock";
import { publishedKeys, keyRing } from "../shared/auth/signing-keys";
import { issuer } from "../shared/auth/tokens";
import { httpRoute, json } from "../shared/http/route";

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
    handler: async () =>
      json(
        200,
        {
          issuer: issuer(),
          jwks_uri: `${issuer()}/.well-known/jwks.json`,
          token_endpoint: `${issuer()}/auth/token`,
          revocation_endpoint: `${issuer()}/auth/revoke`,
          id_token_signing_alg_values_supported: ["RS256"],
          token_endpoint_auth_methods_supported: ["none"],
        },
        { "cache-control": "public, max-age=300" },
      ),
  }),
);
