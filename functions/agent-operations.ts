// Dry runs of agents and the org's monthly credit budget (docs/executions.md); the logic lives in shared/executions.
import { app } from "@azure/functions";
import * as df from "durable-functions";
import { AGENT_ID_SEGMENT, agentIdParams } from "../shared/agents/api-contract";
import type { Principal } from "../shared/auth/principal";
import {
  budgetBody,
  budgetSchema,
  OPERATE_EXECUTIONS,
  testRunBody,
  testRunResultSchema,
  unsavedTestRunBody,
} from "../shared/executions/api-contract";
import { budgetView, putBudget } from "../shared/executions/budget";
import { testRunSavedAgent, testRunUnsavedAgent } from "../shared/executions/dry-run";
import { httpRoute, json } from "../shared/http/route";

/** Every route has a credential (the pipeline refuses otherwise), so the principal is there. */
const who = (principal: Principal | null): Principal => principal!;
const noStore = { "cache-control": "no-store" };

/*
 * The Functions host tries HTTP functions in name order (ordinal, ignoring case) and the first template and method
 * that match win (docs/devhost.md). `GET|PUT agents/budget` sit beside `GET|PUT agents/{id}` ("getAgent",
 * "replaceAgent"): `{id}` only takes agent id shapes, and every function here is also named "agentOps…", which
 * sorts before them, so neither rule alone decides.
 */

app.http("agentOpsBudgetGet", {
  ...httpRoute({
    methods: ["GET"],
    route: "agents/budget",
    summary: "The org's monthly credit budget and this month's standing",
    responses: { 200: { description: "The budget", body: budgetSchema } },
    auth: OPERATE_EXECUTIONS,
    handler: async ({ principal }) => json(200, await budgetView(who(principal).org_id), noStore),
  }),
});

app.http("agentOpsBudgetPut", {
  ...httpRoute({
    methods: ["PUT"],
    route: "agents/budget",
    summary: "Set the org's monthly credit budget",
    responses: { 200: { description: "The budget", body: budgetSchema } },
    auth: OPERATE_EXECUTIONS,
    body: budgetBody,
    handler: async ({ principal, body }) => json(200, await putBudget(who(principal), body), noStore),
  }),
});

app.http("agentOpsTestRunSaved", {
  ...httpRoute({
    methods: ["POST"],
    route: `agents/${AGENT_ID_SEGMENT}/test-runs`,
    summary: "Dry-run a saved agent on an event or on an execution's trigger event",
    responses: { 201: { description: "The dry run", body: testRunResultSchema } },
    errors: [404],
    auth: OPERATE_EXECUTIONS,
    params: agentIdParams,
    body: testRunBody,
    handler: async ({ principal, params, body, context, log }) =>
      json(
        201,
        await testRunSavedAgent(who(principal), params.id, body, df.getClient(context), log),
        noStore,
      ),
  }),
  extraInputs: [df.input.durableClient()],
});

app.http("agentOpsTestRunUnsaved", {
  ...httpRoute({
    methods: ["POST"],
    route: "agents/test-runs",
    summary: "Dry-run an unsaved agent on an event or on an execution's trigger event",
    responses: { 201: { description: "The dry run", body: testRunResultSchema } },
    errors: [404],
    auth: OPERATE_EXECUTIONS,
    body: unsavedTestRunBody,
    handler: async ({ principal, body, context, log }) =>
      json(
        201,
        await testRunUnsavedAgent(who(principal), body.agent, body, df.getClient(context), log),
        noStore,
      ),
  }),
  extraInputs: [df.input.durableClient()],
});
