// The org's agents settings (docs/agents.md): which high-impact actions are enabled; and the system agents' seeding.
import { app } from "@azure/functions";
import { READ_AGENTS, WRITE_AGENTS_SETTINGS } from "../shared/agents/api-contract";
import { seedSystemAgents } from "../shared/agents/seed";
import {
  agentsSettingsSchema,
  getAgentsSettings,
  putAgentsSettings,
  settingsInputSchema,
} from "../shared/agents/settings-service";
import { httpRoute, json } from "../shared/http/route";
import { consoleLogger } from "../shared/log";

app.http(
  "getAgentsSettings",
  httpRoute({
    methods: ["GET"],
    route: "agents/settings",
    summary: "The org's agents settings (enabled high-impact actions)",
    responses: { 200: { description: "The settings", body: agentsSettingsSchema } },
    auth: READ_AGENTS,
    handler: async ({ principal }) => json(200, await getAgentsSettings(principal!)),
  }),
);

app.http(
  "putAgentsSettings",
  httpRoute({
    methods: ["PUT"],
    route: "agents/settings",
    summary: "Replace the list of enabled high-impact actions",
    responses: { 200: { description: "The settings", body: agentsSettingsSchema } },
    auth: WRITE_AGENTS_SETTINGS,
    body: settingsInputSchema,
    handler: async ({ principal, body }) => json(200, await putAgentsSettings(principal!, body)),
  }),
);

/** Seeding is not on any request path (system agents are served from the catalogue), so a failure only logs. */
app.hook.appStart(async () => {
  const log = consoleLogger({ hook: "appStart", capability: "agents" });
  try {
    await seedSystemAgents(log);
  } catch (error) {
    log.error("seeding system agents failed", {
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
