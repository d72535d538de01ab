// POST /api/orgs: the platform operator creates an org and its owner (docs/identity.md); owners set the org's second-factor policy (docs/auth.md).
import { app } from "@azure/functions";
import { createdOrgSchema, createOrg, createOrgSchema } from "../shared/identity/create-org";
import { z } from "zod";
import { httpRoute, json } from "../shared/http/route";
import { MFA_POLICIES, orgIdSchema } from "../shared/identity/model";
import { setMfaPolicy } from "../shared/mfa/policy";

const mfaPolicySchema = z.object({
  policy: z.enum(MFA_POLICIES).describe("off; admins: owners and admins; all: every user"),
});

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

app.http(
  "setMfaPolicy",
  httpRoute({
    methods: ["PUT"],
    route: "orgs/{id}/mfa-policy",
    summary: "Set who in the org must sign in with a second factor (org owners)",
    responses: { 200: { description: "The policy now in force", body: mfaPolicySchema } },
    errors: [404],
    auth: { audience: "hub", orgRoles: ["owner"] },
    params: z.object({ id: orgIdSchema }),
    body: mfaPolicySchema,
    handler: async ({ principal, params, body, log }) => {
      const policy = await setMfaPolicy(principal!, params.id, body.policy);
      log.info("mfa policy set", { policy });
      return json(200, { policy }, { "cache-control": "no-store" });
    },
  }),
);
