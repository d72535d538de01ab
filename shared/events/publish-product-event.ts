// POST /api/events: a product publishes its own event for agents to react to (docs/events.md).
import { z } from "zod";
import { randomUUID } from "node:crypto";
import { carriageProblems, MAX_MESSAGE_ID_LENGTH } from "../bus/limits";
import { toBusMessage } from "../bus/message";
import { busPublisher } from "../bus/publisher";
import { now } from "../clock";
import { AppError } from "../errors";
import type { Principal } from "../auth/principal";
import type { CloudEvent } from "./cloud-event";
import { cloudEventSchema } from "./envelope";

/**
 * The product's envelope. `orgid` is never trusted (it is the key's org), and the `hub.` types and the `/hub`
 * source are Hub's own: a product cannot pass its events off as identity events. Compared without case, so that no
 * subscriber whose filter or code ignores case takes a product's `HUB.iam.…` for Hub's own.
 */
export const productEventSchema = cloudEventSchema
  .extend({
    orgid: z.string().max(128).optional(),
    id: z.string().min(1).max(MAX_MESSAGE_ID_LENGTH).optional(),
  })
  .refine((event) => !event.type.toLowerCase().startsWith("hub."), {
    path: ["type"],
    message: "hub.* event types are published by Hub only",
  })
  .refine((event) => !isHubSource(event.source.toLowerCase()), {
    path: ["source"],
    message: "the /hub source is Hub's own",
  });

function isHubSource(source: string): boolean {
  return source === "/hub" || source.startsWith("/hub/");
}

/** The answer of POST /api/events: what was published, under which id, for which org. */
export const publishedEventSchema = z.object({ id: z.string(), type: z.string(), orgid: z.string() });

export type ProductEventInput = z.infer<typeof productEventSchema>;

export async function publishProductEvent(
  principal: Principal,
  input: ProductEventInput,
): Promise<CloudEvent<unknown>> {
  if (!principal.key_id)
    throw new AppError("auth.forbidden", "Events are published with an integration key.");
  const event = {
    ...input,
    id: input.id ?? randomUUID(),
    time: input.time ?? now().toISOString(),
    datacontenttype: "application/json",
    orgid: principal.org_id,
  } as CloudEvent<unknown>;
  // Refused here, not by the broker: a message Service Bus cannot carry would otherwise be a 503 on every retry.
  const problems = carriageProblems(toBusMessage(event as CloudEvent));
  if (problems.length > 0)
    throw new AppError("request.invalid", "Service Bus cannot carry this event.", { errors: problems });
  await busPublisher().publish([event as CloudEvent]);
  return event;
}
