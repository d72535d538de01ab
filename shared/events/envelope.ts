// Validation of CloudEvents 1.0 envelopes arriving from the bus or from products (docs/events.md).
import { z } from "zod";
import { isEventType } from "../agents/event-type";
import { dataBoundsProblem } from "./data-bounds";

const eventType = z.string().refine(isEventType, "must be a dotted event type such as psa.ticket.created");

/** Event data within the depth and size bounds (docs/events.md), so no later step walks a pathological value. */
const boundedData = z.unknown().superRefine((data, ctx) => {
  const problem = dataBoundsProblem(data);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** Structured-mode CloudEvents JSON as Hub and products publish it; unknown extension attributes are kept. */
export const cloudEventSchema = z.looseObject({
  specversion: z.literal("1.0"),
  id: z.string().min(1).max(256),
  source: z.string().min(1).max(512),
  type: eventType,
  time: z.iso.datetime({ offset: true }).optional(),
  subject: z.string().max(512).optional(),
  datacontenttype: z.string().max(128).optional(),
  orgid: z.string().min(1).max(128),
  data: boundedData.optional(),
});

export type ValidCloudEvent = z.infer<typeof cloudEventSchema>;

/** A bus message body: the envelope as an object, or its JSON text. */
export function parseEnvelope(message: unknown): z.ZodSafeParseResult<ValidCloudEvent> {
  let value = message;
  if (typeof message === "string") {
    try {
      value = JSON.parse(message) as unknown;
    } catch {
      value = message;
    }
  } else if (Buffer.isBuffer(message)) {
    try {
      value = JSON.parse(message.toString("utf8")) as unknown;
    } catch {
      value = null;
    }
  }
  return cloudEventSchema.safeParse(value);
}
