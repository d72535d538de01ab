// The Agents API (docs/agents.md): custom and system agents, pause/activate.
import { app } from "@azure/functions";
import type { HttpRequest } from "@azure/functions";
import {
  AGENT_ID_SEGMENT,
  agentIdParams,
  agentListSchema,
  listQuery,
  READ_AGENTS,
  WRITE_AGENTS,
} from "../shared/agents/api-contract";
import { getAgent, listAgents } from "../shared/agents/read-service";
import { agentInputSchema, agentSchema } from "../shared/agents/schema";
import type { VersionedAgent } from "../shared/agents/views";
import { createAgent, deleteAgent, replaceAgent, setAgentStatus } from "../shared/agents/write-service";
import type { Principal } from "../shared/auth/principal";
import { httpRoute, json, noContent } from "../shared/http/route";

/** Every route has a credential (the pipeline refuses otherwise), so the principal is there. */
const who = (principal: Principal | null): Principal => principal!;
const ifMatch = (request: HttpRequest): string | null => request.headers.get("if-match");
const agentResponse = (
  status: number,
  { agent, etag }: VersionedAgent,
  headers: Record<string, string> = {},
) => json(status, agent, { etag, "cache-control": "no-store", ...headers });

app.http(
  "listAgents",
  httpRoute({
    methods: ["GET"],
    route: "agents",
    summary: "List the org's agents and the system agents (each with this org's status)",
    responses: { 200: { description: "A page of agents", body: agentListSchema } },
    auth: READ_AGENTS,
    query: listQuery,
    handler: async ({ principal, query }) =>
      json(200, await listAgents(who(principal), query), { "cache-control": "no-store" }),
  }),
);

app.http(
  "createAgent",
  httpRoute({
    methods: ["POST"],
    route: "agents",
    summary: "Create a custom agent",
    responses: { 201: { description: "The agent (ETag and Location headers)", body: agentSchema } },
    auth: WRITE_AGENTS,
    body: agentInputSchema,
    handler: async ({ principal, body }) => {
      const created = await createAgent(who(principal), body);
      return agentResponse(201, created, { location: `/api/agents/${created.agent.id}` });
    },
  }),
);

app.http(
  "getAgent",
  httpRoute({
    methods: ["GET"],
    route: `agents/${AGENT_ID_SEGMENT}`,
    summary: "Get an agent (custom or system)",
    responses: { 200: { description: "The agent (ETag header)", body: agentSchema } },
    errors: [404],
    auth: READ_AGENTS,
    params: agentIdParams,
    handler: async ({ principal, params }) => agentResponse(200, await getAgent(who(principal), params.id)),
  }),
);

app.http(
  "replaceAgent",
  httpRoute({
    methods: ["PUT"],
    route: `agents/${AGENT_ID_SEGMENT}`,
    summary: "Replace a custom agent (If-Match required)",
    responses: { 200: { description: "The agent (new ETag header)", body: agentSchema } },
    errors: [403, 404, 412, 428],
    auth: WRITE_AGENTS,
    params: agentIdParams,
    body: agentInputSchema,
    handler: async ({ principal, params, body, request }) =>
      agentResponse(200, await replaceAgent(who(principal), params.id, body, ifMatch(request))),
  }),
);

app.http(
  "deleteAgent",
  httpRoute({
    methods: ["DELETE"],
    route: `agents/${AGENT_ID_SEGMENT}`,
    summary: "Delete a custom agent (If-Match required)",
    responses: { 204: { description: "Deleted" } },
    errors: [403, 404, 412, 428],
    auth: WRITE_AGENTS,
    params: agentIdParams,
    handler: async ({ principal, params, request }) => {
      await deleteAgent(who(principal), params.id, ifMatch(request));
      return noContent();
    },
  }),
);

for (const [name, status] of [
  ["pauseAgent", "paused"],
  ["activateAgent", "active"],
] as const) {
  app.http(
    name,
    httpRoute({
      methods: ["POST"],
      route: `agents/${AGENT_ID_SEGMENT}/${status === "paused" ? "pause" : "activate"}`,
      summary: status === "paused" ? "Pause an agent" : "Activate an agent",
      responses: { 200: { description: "The agent", body: agentSchema } },
      errors: [404],
      auth: WRITE_AGENTS,
      params: agentIdParams,
      handler: async ({ principal, params }) =>
        agentResponse(200, await setAgentStatus(who(principal), params.id, status)),
    }),
  );
}
