// The executions API (docs/executions.md): list, get, retry, cancel, redrive, and credit usage with the budget.
import { app } from "@azure/functions";
import * as df from "durable-functions";
import {
  cancelBody,
  cancelResultSchema,
  executionIdParams,
  redriveResultSchema,
  executionListSchema,
  executionSchema,
  listExecutionsQuery,
  OPERATE_EXECUTIONS,
  READ_EXECUTIONS,
  RETRY_EXECUTIONS,
  retryResultSchema,
  usageQuery,
  usageSchema,
} from "../shared/executions/api-contract";
import { budgetView } from "../shared/executions/budget";
import { cancelExecution } from "../shared/executions/cancel";
import { redriveExecution } from "../shared/executions/redrive";
import { publicExecution } from "../shared/executions/model";
import { getExecution, listExecutions, usageBetween } from "../shared/executions/read-service";
import { retryExecution } from "../shared/executions/retry";
import type { Principal } from "../shared/auth/principal";
import { httpRoute, json } from "../shared/http/route";

/** Every route has a credential (the pipeline refuses otherwise), so the principal is there. */
const who = (principal: Principal | null): Principal => principal!;
const noStore = { "cache-control": "no-store" };

app.http(
  "listExecutions",
  httpRoute({
    methods: ["GET"],
    route: "executions",
    summary: "List the org's executions (newest first)",
    responses: { 200: { description: "A page of executions", body: executionListSchema } },
    auth: READ_EXECUTIONS,
    query: listExecutionsQuery,
    handler: async ({ principal, query }) => json(200, await listExecutions(who(principal), query), noStore),
  }),
);

app.http(
  "getExecution",
  httpRoute({
    methods: ["GET"],
    route: "executions/{id}",
    summary: "Get an execution's audit log",
    responses: { 200: { description: "The execution", body: executionSchema } },
    errors: [404],
    auth: READ_EXECUTIONS,
    params: executionIdParams,
    handler: async ({ principal, params }) =>
      json(200, publicExecution(await getExecution(who(principal), params.id)), noStore),
  }),
);

app.http("retryExecution", {
  ...httpRoute({
    methods: ["POST"],
    route: "executions/{id}/retry",
    summary: "Retry an execution: a new execution of the same agent snapshot and event",
    responses: { 202: { description: "The new execution has started", body: retryResultSchema } },
    errors: [404],
    auth: RETRY_EXECUTIONS,
    params: executionIdParams,
    handler: async ({ principal, params, context, log }) =>
      json(202, await retryExecution(who(principal), params.id, df.getClient(context), log), noStore),
  }),
  extraInputs: [df.input.durableClient()],
});

app.http("cancelExecution", {
  ...httpRoute({
    methods: ["POST"],
    route: "executions/{id}/cancel",
    summary: "Cancel a running execution (its gates close; remaining steps are skipped)",
    responses: { 200: { description: "The cancelled execution", body: cancelResultSchema } },
    errors: [404, 409],
    auth: OPERATE_EXECUTIONS,
    params: executionIdParams,
    body: cancelBody,
    handler: async ({ principal, params, body, context, log }) =>
      json(
        200,
        await cancelExecution(who(principal), params.id, body?.reason, df.getClient(context), log),
        noStore,
      ),
  }),
  extraInputs: [df.input.durableClient()],
});

app.http("redriveExecution", {
  ...httpRoute({
    methods: ["POST"],
    route: "executions/{id}/redrive",
    summary: "Redrive a failed execution from its failed step with the saved context",
    responses: { 202: { description: "The new execution has started", body: redriveResultSchema } },
    errors: [404, 409],
    auth: OPERATE_EXECUTIONS,
    params: executionIdParams,
    handler: async ({ principal, params, context, log }) =>
      json(202, await redriveExecution(who(principal), params.id, df.getClient(context), log), noStore),
  }),
  extraInputs: [df.input.durableClient()],
});

app.http(
  "getUsage",
  httpRoute({
    methods: ["GET"],
    route: "usage",
    summary: "Credits used between two days, by agent and day",
    responses: { 200: { description: "The totals", body: usageSchema } },
    auth: READ_EXECUTIONS,
    query: usageQuery,
    handler: async ({ principal, query }) =>
      json(
        200,
        {
          ...(await usageBetween(who(principal), query.from, query.to)),
          budget: await budgetView(who(principal).org_id),
        },
        noStore,
      ),
  }),
);
