// Integration key management (docs/auth.md): org owners/admins and Agents admins, with a hub or agents token.
import { app } from "@azure/functions";
import { z } from "zod";
import type { AuthPolicy } from "../shared/auth/principal";
import { httpRoute, json, noContent } from "../shared/http/route";
import {
  createKey,
  createKeySchema,
  listKeys,
  revokeKey,
  rotateKey,
  rotateKeySchema,
} from "../shared/keys/manage-keys";
import { keyUsageBetween } from "../shared/keys/usage-report";
import { usageQuery } from "../shared/executions/api-contract";

const keyAdmins: AuthPolicy = { audience: ["hub", "agents"], orgRoles: ["owner", "admin"], roles: ["admin"] };
const keyParams = z.object({ id: z.string().regex(/^[0-9a-f]{44}$/, "must be an integration key id") });

app.http(
  "createIntegrationKey",
  httpRoute({
    methods: ["POST"],
    route: "integration-keys",
    auth: keyAdmins,
    body: createKeySchema,
    handler: async ({ body, principal, log }) => {
      const created = await createKey(principal!, body);
      log.info("integration key created", { created_key_id: created.id });
      return json(201, created, {
        "cache-control": "no-store",
        location: `/api/integration-keys/${created.id}`,
      });
    },
  }),
);

app.http(
  "listIntegrationKeys",
  httpRoute({
    methods: ["GET"],
    route: "integration-keys",
    auth: keyAdmins,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(25),
      continuation: z.string().max(4096).optional(),
    }),
    handler: async ({ query, principal }) => json(200, await listKeys(principal!, query)),
  }),
);

app.http(
  "rotateIntegrationKey",
  httpRoute({
    methods: ["POST"],
    route: "integration-keys/{id}/rotate",
    auth: keyAdmins,
    params: keyParams,
    body: rotateKeySchema,
    handler: async ({ params, body, principal, log }) => {
      const rotated = await rotateKey(principal!, params.id, body.grace_seconds);
      log.info("integration key rotated", { rotated_key_id: params.id, grace_seconds: body.grace_seconds });
      return json(200, rotated, { "cache-control": "no-store" });
    },
  }),
);

app.http(
  "revokeIntegrationKey",
  httpRoute({
    methods: ["DELETE"],
    route: "integration-keys/{id}",
    auth: keyAdmins,
    params: keyParams,
    handler: async ({ params, principal, log }) => {
      await revokeKey(principal!, params.id);
      log.info("integration key revoked", { revoked_key_id: params.id });
      return noContent();
    },
  }),
);

app.http(
  "integrationKeyUsage",
  httpRoute({
    methods: ["GET"],
    route: "integration-keys/{id}/usage",
    auth: keyAdmins,
    params: keyParams,
    query: usageQuery,
    handler: async ({ params, query, principal }) =>
      json(200, await keyUsageBetween(principal!, params.id, query.from, query.to), {
        "cache-control": "no-store",
      }),
  }),
);
