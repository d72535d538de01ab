// POST /api/events: products publish their own events (events:publish key) for agents to react to.
import { app } from "@azure/functions";
import { PUBLISH_EVENTS } from "../shared/executions/api-contract";
import {
  productEventSchema,
  publishedEventSchema,
  publishProductEvent,
} from "../shared/events/publish-product-event";
import { httpRoute, json } from "../shared/http/route";

app.http(
  "publishEvent",
  httpRoute({
    methods: ["POST"],
    route: "events",
    summary: "Publish a product event (CloudEvents) for agents to react to",
    responses: { 202: { description: "Accepted for The One Bus", body: publishedEventSchema } },
    auth: PUBLISH_EVENTS,
    body: productEventSchema,
    handler: async ({ principal, body }) => {
      const event = await publishProductEvent(principal!, body);
      return json(202, { id: event.id, type: event.type, orgid: event.orgid });
    },
  }),
);
