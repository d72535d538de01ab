// Portal client organisations (docs/identity.md): org owners and admins, with a hub token.
import { app } from "@azure/functions";
import { z } from "zod";
import { ORG_ADMINS } from "../shared/iam/policies";
import { httpRoute, json, noContent } from "../shared/http/route";
import {
  linkPortalClient,
  linkPortalClientSchema,
  listPortalClients,
  portalClientParams,
  unlinkPortalClient,
} from "../shared/portal/portal-clients";

app.http(
  "listPortalClients",
  httpRoute({
    methods: ["GET"],
    route: "portal-clients",
    summary: "List the org's portal client organisations",
    responses: { 200: { description: "A page of portal clients", body: z.looseObject({}) } },
    auth: ORG_ADMINS,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(25),
      continuation: z.string().max(4096).optional(),
    }),
    handler: async ({ query, principal }) => json(200, await listPortalClients(principal!, query)),
  }),
);

app.http(
  "linkPortalClient",
  httpRoute({
    methods: ["POST"],
    route: "portal-clients",
    summary: "Link a portal client organisation",
    responses: {
      201: { description: "The link (Location header)", body: z.looseObject({ id: z.string() }) },
    },
    errors: [409],
    auth: ORG_ADMINS,
    body: linkPortalClientSchema,
    handler: async ({ body, principal, log }) => {
      const linked = await linkPortalClient(principal!, body);
      log.info("portal client linked", { portal_client_id: linked.id });
      return json(201, linked, { location: `/api/portal-clients/${linked.id}` });
    },
  }),
);

app.http(
  "unlinkPortalClient",
  httpRoute({
    methods: ["DELETE"],
    route: "portal-clients/{id}",
    summary: "Unlink a portal client organisation",
    responses: { 204: { description: "Unlinked" } },
    errors: [404],
    auth: ORG_ADMINS,
    params: portalClientParams,
    handler: async ({ params, principal, log }) => {
      await unlinkPortalClient(principal!, params.id);
      log.info("portal client unlinked", { portal_client_id: params.id });
      return noContent();
    },
  }),
);
