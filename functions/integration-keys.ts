// Integration key management (docs/auth.md): org owners/admins and Agents admins, with a hub or agents token.
import { app } from "@azure/functions";
import { z } from "zod";
import type { AuthPolicy } from "../shared/auth/principal";
import { httpRoute, json, noContent } from "../shared/http/route";
import {
  createdKeySchema,
  createKey,
  createKeySchema,
  keyListSchema,
  listKeys,
  revokeKey,
  rotatedKeySchema,
  rotateKey,
  rotateKeySchema,
} from "../shared/keys/manage-keys";
import { keyUsageBetween, keyUsageSchema } from "../shared/keys/usage-report";
import { usageQuery } from "../shared/executions/api-contract";

const keyAdmins: AuthPolicy = { audience: ["hub", "agents"], orgRoles: ["owner", "admin"], roles: ["admin"] };
const keyParams = z.object({ id: z.string().regex(/^[0-9a-f]{44}$/, "must be an integration key id") });

app.http(
  "createIntegrationKey",
  httpRoute({
    methods: ["POST"],
    route: "integration-keys",
    summary: "Issue an integration key (the secret is shown only in this answer)",
    responses: { 201: { description: "The key with its secret (Location header)", body: createdKeySchema } },
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
    summary: "List the org's integration keys, without secrets",
    responses: { 200: { description: "A page of keys", body: keyListSchema } },
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
    summary: "Rotate a key: a new secret; the old one works until the grace ends",
    responses: { 200: { description: "The key with its new secret", body: rotatedKeySchema } },
    errors: [404, 410],
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
    summary: "Revoke a key at once (not a service key: Hub revokes those with the entitlement)",
    responses: { 204: { description: "Revoked" } },
    errors: [404, 409],
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
    summary: "An integration key's use per day between two dates",
    responses: {
      200: { description: "The key's counts per day and in total", body: keyUsageSchema },
    },
    errors: [404],
    auth: keyAdmins,
    params: keyParams,
    query: usageQuery,
    handler: async ({ params, query, principal }) =>
      json(200, await keyUsageBetween(principal!, params.id, query.from, query.to), {
        "cache-control": "no-store",
      }),
  }),
);
