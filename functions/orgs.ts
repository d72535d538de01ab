// POST /api/orgs: the platform operator creates an org and its owner (docs/identity.md).
import { app } from "@azure/functions";
import { createdOrgSchema, createOrg, createOrgSchema } from "../shared/identity/create-org";
import { httpRoute, json } from "../shared/http/route";

app.http(
  "createOrg",
  httpRoute({
    methods: ["POST"],
    route: "orgs",
    summary: "Create an org and its owner (platform operator)",
    responses: { 201: { description: "The org and its owner", body: createdOrgSchema } },
    errors: [409],
    auth: "platform",
    body: createOrgSchema,
    handler: async ({ body, log }) => {
      const created = await createOrg(body);
      log.info("org created", { org_id: created.org.id, user_id: created.owner.id });
      return json(201, created);
    },
  }),
);
