// CloudEvents 1.0 envelopes as they travel on The One Bus (docs/events.md).
import { randomUUID } from "node:crypto";

export interface CloudEvent<T = Record<string, unknown>> {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: "application/json";
  /** The org the event belongs to (CloudEvents extension). */
  orgid: string;
  data: T;
}

export function newCloudEvent<T extends Record<string, unknown>>(
  fields: { type: string; orgid: string; data: T; subject?: string; source?: string },
  now: Date = new Date(),
): CloudEvent<T> {
  return {
    specversion: "1.0",
    id: randomUUID(),
    source: fields.source ?? "/hub",
    type: fields.type,
    time: now.toISOString(),
    subject: fields.subject,
    datacontenttype: "application/json",
    orgid: fields.orgid,
    data: fields.data,
  };
}
