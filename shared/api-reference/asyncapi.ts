// The AsyncAPI 3.0 document of The One Bus, generated from the event schemas (docs/events.md).
import { z } from "zod";
import { version } from "../../package.json";
import { DEFAULT_BUS_TOPIC } from "../config";
import { cloudEventSchema } from "../events/envelope";
import { HUB_EVENTS } from "../events/hub-events";
import type { JsonSchema } from "./json-schema";
import { SchemaCollector } from "./json-schema";

export type AsyncApiDocument = Record<string, unknown> & {
  channels: Record<string, { address: string; messages: Record<string, unknown>; [extra: string]: unknown }>;
  components: { messages: Record<string, Message>; schemas: Record<string, JsonSchema> };
};

interface Message {
  name: string;
  title: string;
  summary: string;
  contentType: string;
  headers: JsonSchema;
  payload: JsonSchema;
}

export const CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json";

/** A Hub event's whole envelope, as it is the Service Bus message body (structured-mode CloudEvents). */
const hubEnvelope = (type: string, source: string, data: z.ZodType) =>
  z.object({
    specversion: z.literal("1.0"),
    id: z.string().describe("The event id (a UUID), also the Service Bus messageId: dedupe on it"),
    source: z.literal(source),
    type: z.literal(type),
    time: z.string().describe("When the change happened (RFC 3339, UTC)"),
    subject: z.string().optional().describe("The user the event is about"),
    datacontenttype: z.literal("application/json"),
    orgid: z.string().describe("The org (tenant) id; _hub for a failed sign-in whose email names no user"),
    data,
  });

/** The Service Bus application properties subscriptions filter on. */
const applicationProperties = (type: z.ZodType) =>
  z.object({
    type,
    org_id: z.string().describe("The event's orgid"),
  });

/** The component name of a type, e.g. hub.iam.user_created → HubIamUserCreated. */
export const messageName = (type: string): string =>
  type
    .split(/[._]/)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");

export function asyncApiDocument(): AsyncApiDocument {
  const schemas = new SchemaCollector("#/components/schemas/", "draft-7");
  const messages: Record<string, Message> = {};
  for (const [type, event] of Object.entries(HUB_EVENTS)) {
    messages[messageName(type)] = {
      name: type,
      title: type,
      summary: `Published when ${event.when}.`,
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      headers: schemas.convert(applicationProperties(z.literal(type)), "output"),
      payload: schemas.convert(
        hubEnvelope(type, "source" in event ? event.source : "/hub", event.data),
        "output",
      ),
    };
  }
  messages.ProductEvent = {
    name: "product event",
    title: "A product's own event",
    summary:
      "Published by a product through POST /api/events (its type is the product's, never hub.*; orgid is the key's org).",
    contentType: CLOUDEVENTS_CONTENT_TYPE,
    headers: schemas.convert(applicationProperties(z.string()), "output"),
    payload: schemas.convert(cloudEventSchema, "output"),
  };
  const channelMessages = Object.fromEntries(
    Object.keys(messages).map((name) => [name, { $ref: `#/components/messages/${name}` }]),
  );
  return {
    asyncapi: "3.0.0",
    info: {
      title: "The One Bus",
      version,
      description:
        "Identity events Hub publishes, and products' own events, as CloudEvents 1.0 (structured JSON) on one " +
        "Azure Service Bus topic. Service Bus messageId = the event id, subject = its type; the application " +
        "properties `type` and `org_id` are what subscription filters test. A message may arrive twice or out " +
        "of order: dedupe on `id`, order hub.iam.* events by `data.version` (docs/events.md).",
    },
    defaultContentType: CLOUDEVENTS_CONTENT_TYPE,
    channels: {
      theOneBus: {
        address: "{topic}",
        title: "The One Bus",
        description:
          "The Service Bus topic; each consumer has its own filtered subscription (docs/events.md).",
        parameters: {
          topic: { default: DEFAULT_BUS_TOPIC, description: "The topic name: the app setting BUS_TOPIC" },
        },
        messages: channelMessages,
      },
    },
    operations: {
      publishHubEvents: {
        action: "send",
        title: "Hub publishes identity events",
        channel: { $ref: "#/channels/theOneBus" },
        messages: Object.keys(HUB_EVENTS).map((type) => ({
          $ref: `#/channels/theOneBus/messages/${messageName(type)}`,
        })),
      },
      relayProductEvents: {
        action: "send",
        title: "Hub relays the events products publish through POST /api/events",
        channel: { $ref: "#/channels/theOneBus" },
        messages: [{ $ref: "#/channels/theOneBus/messages/ProductEvent" }],
      },
      runAgents: {
        action: "receive",
        title: "The agents subscription: every event starts the executions of the agents it matches",
        channel: { $ref: "#/channels/theOneBus" },
        messages: Object.keys(messages).map((name) => ({ $ref: `#/channels/theOneBus/messages/${name}` })),
      },
    },
    components: { messages, schemas: schemas.definitions },
  };
}
