// Approval decisions (docs/approvals.md): the emailed/texted link page, and the API for Admins and Technicians.
import { app } from "@azure/functions";
import * as df from "durable-functions";
import { z } from "zod";
import {
  decideByApi,
  decisionBody,
  decisionParams,
  DECIDE_APPROVALS,
} from "../shared/approvals/api-decision";
import { showDecisionPage, submitDecision } from "../shared/approvals/link-page";
import { httpRoute, json } from "../shared/http/route";

const tokenParams = z.object({ token: z.string().max(512) });

app.http(
  "showApprovalPage",
  httpRoute({
    methods: ["GET"],
    route: "approvals/{token}",
    auth: "none",
    params: tokenParams,
    handler: async ({ params }) => showDecisionPage(params.token),
  }),
);

app.http("submitApprovalDecision", {
  ...httpRoute({
    methods: ["POST"],
    route: "approvals/{token}",
    auth: "none",
    params: tokenParams,
    // Checked by the handler, which answers a page rather than problem+json.
    body: z.record(z.string(), z.string()).optional(),
    bodyFormat: "form",
    handler: async ({ params, body, context, log }) =>
      submitDecision(params.token, body, df.getClient(context), log),
  }),
  extraInputs: [df.input.durableClient()],
});

app.http("decideApproval", {
  ...httpRoute({
    methods: ["POST"],
    route: "executions/{id}/approvals/{step_id}",
    auth: DECIDE_APPROVALS,
    params: decisionParams,
    body: decisionBody,
    handler: async ({ principal, params, body, context, log }) =>
      json(200, await decideByApi(principal!, params, body, df.getClient(context), log), {
        "cache-control": "no-store",
      }),
  }),
  extraInputs: [df.input.durableClient()],
});
