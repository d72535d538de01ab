// Approvals (docs/approvals.md): the emailed/texted link page, the inbox, and the decision API.
//
// The host dispatches HTTP functions in name order, first matching template wins, so no two templates here may
// match one path: `approvals` (no segment), `approvals/{token}` (one), `approvals/{execution_id}/{step_id}` (two).
import { app } from "@azure/functions";
import { formFields } from "../shared/oauth/form-token";
import * as df from "durable-functions";
import { z } from "zod";
import {
  decideByApi,
  decisionBody,
  decisionResultSchema,
  decisionParams,
  DECIDE_APPROVALS,
} from "../shared/approvals/api-decision";
import {
  READ_APPROVALS,
  approvalListSchema,
  approvalParams,
  approvalViewSchema,
  getApproval,
  inboxQuery,
  listPendingApprovals,
} from "../shared/approvals/inbox";
import { showDecisionPage, submitDecision } from "../shared/approvals/link-page";
import { htmlPage } from "../shared/http/route-doc";
import { httpRoute, json } from "../shared/http/route";

const tokenParams = z.object({ token: z.string().max(512) });

app.http(
  "showApprovalPage",
  httpRoute({
    methods: ["GET"],
    route: "approvals/{token}",
    summary: "The decision page of an emailed or texted approval link (changes nothing)",
    responses: {
      200: htmlPage("The review page with Approve / Reject"),
      403: htmlPage("The requester's own link: another approver must decide"),
      404: htmlPage("An unknown link"),
      410: htmlPage("A link whose gate was decided or expired"),
    },
    auth: "none",
    params: tokenParams,
    handler: async ({ params }) => showDecisionPage(params.token),
  }),
);

app.http("submitApprovalDecision", {
  ...httpRoute({
    methods: ["POST"],
    route: "approvals/{token}",
    summary: "Submit a decision from the link page (form fields decision=approve|reject, note)",
    responses: {
      200: htmlPage("The confirmation page"),
      400: htmlPage("The review page again, saying what was missing"),
      403: htmlPage("The requester's own link: another approver must decide"),
      404: htmlPage("An unknown link"),
      410: htmlPage("A link whose gate was decided or expired"),
    },
    auth: "none",
    params: tokenParams,
    // Checked by the handler, which answers a page rather than problem+json.
    body: formFields,
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
    summary: "Decide an approval gate as an Admin or Technician",
    responses: { 200: { description: "The decision as recorded", body: decisionResultSchema } },
    errors: [404, 409],
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

app.http(
  "listApprovals",
  httpRoute({
    methods: ["GET"],
    route: "approvals",
    summary: "The pending approval gates the caller may decide (soonest to expire first)",
    responses: { 200: { description: "A page of approvals", body: approvalListSchema } },
    auth: READ_APPROVALS,
    query: inboxQuery,
    handler: async ({ principal, query }) =>
      json(200, await listPendingApprovals(principal!, query), { "cache-control": "no-store" }),
  }),
);

app.http(
  "getApproval",
  httpRoute({
    methods: ["GET"],
    route: "approvals/{execution_id}/{step_id}",
    summary: "One approval gate of the org, decided or not, with whether the caller may decide it",
    responses: { 200: { description: "The approval", body: approvalViewSchema } },
    errors: [404],
    auth: READ_APPROVALS,
    params: approvalParams,
    handler: async ({ principal, params }) =>
      json(200, await getApproval(principal!, params), { "cache-control": "no-store" }),
  }),
);
