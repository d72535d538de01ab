// The executions API (docs/executions.md): list, get, retry, cancel, redrive, and credit usage with the budget.
import { app } from "@azure/functions";
import * as df from "durable-functions";
import {
  cancelBody,
  executionIdParams,
  listExecutionsQuery,
  OPERATE_EXECUTIONS,
  READ_EXECUTIONS,
  RETRY_EXECUTIONS,
  usageQuery,
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
