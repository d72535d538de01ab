// PUT /api/orgs/{id}/entitlements: the platform operator sets an org's products and AI tier (docs/identity.md).
import { app } from "@azure/functions";
import { z } from "zod";
import { httpRoute, json } from "../shared/http/route";
import { setEntitlements } from "../shared/iam/entitlements";
import { entitlementsBodySchema } from "../shared/iam/schemas";
import { publicOrgSchema } from "../shared/identity/model";

app.http(
  "setOrgEntitlements",
  httpRoute({
    methods: ["PUT"],
    route: "orgs/{id}/entitlements",
    summary: "Set an org's products and AI tier (platform operator)",
    responses: { 200: { description: "The org", body: publicOrgSchema } },
    errors: [404],
    auth: "platform",
    params: z.object({ id: z.string() }),
    body: entitlementsBodySchema,
    handler: async ({ params, body, log }) => {
      const org = await setEntitlements(params.id, body.entitlements);
      log.info("entitlements set", { org_id: org.id, entitlements: org.entitlements });
      return json(200, org, { "cache-control": "no-store" });
    },
  }),
);
