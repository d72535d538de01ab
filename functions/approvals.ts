// Approvals (docs/approvals.md): the emailed/texted link page, the inbox, and the decision API.
//
// The host dispatches HTTP functions in name order, first matching template wins, so no two templates here may
// match one path: `approvals` (no segment), `approvals/{token}` (one), `approvals/{execution_id}/{step_id}` (two).
import { app } from "@azure/functions";
import * as df from "durable-functions";
import { z } from "zod";
import {
  decideByApi,
  decisionBody,
  decisionParams,
  DECIDE_APPROVALS,
} from "../shared/approvals/api-decision";
import {
  approvalParams,
  getApproval,
  inboxQuery,
  listPendingApprovals,
  READ_APPROVALS,
} from "../shared/approvals/inbox";
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

app.http(
  "listApprovals",
  httpRoute({
    methods: ["GET"],
    route: "approvals",
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
    auth: READ_APPROVALS,
    params: approvalParams,
    handler: async ({ principal, params }) =>
      json(200, await getApproval(principal!, params), { "cache-control": "no-store" }),
  }),
);
