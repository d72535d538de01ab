// The API's own reference (docs/api.md): the OpenAPI document and a readable page, both generated from the routes,
// and the AsyncAPI document of The One Bus, generated from the event schemas (docs/events.md).
import { app } from "@azure/functions";
import { z } from "zod";
import { asyncApiDocument } from "../shared/api-reference/asyncapi";
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

app.http(
  "asyncApiDocument",
  httpRoute({
    methods: ["GET"],
    route: "asyncapi.json",
    auth: "none",
    summary: "The events on The One Bus as an AsyncAPI 3.0 document, generated from the event schemas",
    responses: {
      200: {
        description: "The AsyncAPI document (also checked in as docs/asyncapi.json)",
        body: z.looseObject({
          asyncapi: z.literal("3.0.0"),
          info: z.looseObject({}),
          channels: z.looseObject({}),
        }),
      },
    },
    handler: async () => json(200, asyncApiDocument(), { "cache-control": "no-cache" }),
  }),
);
