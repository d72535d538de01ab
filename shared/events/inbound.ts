// Reading a CloudEvent off the bus: the envelope checked at the boundary, so handlers can trust what they get.
import { z } from "zod";
import { orgIdSchema } from "../identity/model";
import type { CloudEvent } from "./cloud-event";
import { dataBoundsProblem } from "./data-bounds";

/** Ids become parts of Cosmos ids (dedupe records), so they are held to characters Cosmos accepts. */
const safeId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, "must be 1-128 of A-Z a-z 0-9 . _ : -");

export const inboundEnvelopeSchema = z.object({
  specversion: z.literal("1.0"),
  id: safeId,
  source: z.string().min(1).max(1024),
  type: z.string().min(1).max(256),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().max(1024).optional(),
  datacontenttype: z.literal("application/json").optional(),
  orgid: orgIdSchema,
  data: z.record(z.string(), z.unknown()).superRefine((data, ctx) => {
    const problem = dataBoundsProblem(data);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
});

export type InboundParse<T> = { ok: true; event: CloudEvent<T> } | { ok: false; reason: string };

/** Checks the envelope and, with `dataSchema`, its data; the reason names every problem, never a value. */
export function parseInboundEvent<T extends Record<string, unknown>>(
  body: unknown,
  dataSchema: z.ZodType<T>,
): InboundParse<T> {
  const envelope = inboundEnvelopeSchema.safeParse(typeof body === "string" ? tryJson(body) : body);
  if (!envelope.success) return { ok: false, reason: describe(envelope.error, "") };
  const data = dataSchema.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, reason: describe(data.error, "data.") };
  return {
    ok: true,
    event: { ...envelope.data, datacontenttype: "application/json", data: data.data },
  };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const describe = (error: z.ZodError, prefix: string): string =>
  error.issues.map((issue) => `${prefix}${issue.path.join(".") || "(body)"}: ${issue.message}`).join("; ");
