// GET /api/health: liveness of the app and its store (docs/devhost.md).
import { app } from "@azure/functions";
import { checkHealth, healthSchema } from "../shared/health";
import { httpRoute, json } from "../shared/http/route";

app.http(
  "health",
  httpRoute({
    methods: ["GET"],
    route: "health",
    summary: "Liveness of the app and its store",
    responses: { 200: { description: "The app can reach its store", body: healthSchema } },
    auth: "none",
    handler: async () => json(200, await checkHealth(), { "cache-control": "no-store" }),
  }),
);
