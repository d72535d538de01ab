// The API's own reference (docs/api.md): the OpenAPI document and a readable page, both generated from the routes.
import { app } from "@azure/functions";
import { z } from "zod";
import { openApiDocument } from "../shared/api-reference/openapi";
import { referencePage } from "../shared/api-reference/reference-page";
import { htmlPage } from "../shared/http/route-doc";
import { httpRoute, json } from "../shared/http/route";

app.http(
  "openApiDocument",
  httpRoute({
    methods: ["GET"],
    route: "openapi.json",
    auth: "none",
    summary: "This API as an OpenAPI 3.1 document, generated from the route registrations",
    responses: {
      200: {
        description: "The OpenAPI document",
        body: z.looseObject({
          openapi: z.literal("3.1.0"),
          info: z.looseObject({}),
          paths: z.looseObject({}),
        }),
      },
    },
    handler: async () => json(200, openApiDocument(), { "cache-control": "no-cache" }),
  }),
);

app.http(
  "apiReferencePage",
  httpRoute({
    methods: ["GET"],
    route: "docs",
    auth: "none",
    summary: "This API's reference as a readable page (no script)",
    responses: { 200: htmlPage("The reference page") },
    handler: async () => referencePage(openApiDocument()),
  }),
);
