// How a CloudEvent travels on Service Bus (docs/events.md): one mapping, used by the Service Bus adapter and the devhost bus.
import type { CloudEvent } from "../events/cloud-event";

export const CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json";

/** The Service Bus message fields we set (a subset of @azure/service-bus's ServiceBusMessage). */
export interface BusMessageFields {
  messageId: string;
  subject: string;
  contentType: string;
  /** Subscription filters read `type`; `org_id` lets a consumer route without parsing the body. */
  applicationProperties: { type: string; org_id: string };
  body: CloudEvent;
}

export function toBusMessage(event: CloudEvent): BusMessageFields {
  return {
    messageId: event.id,
    subject: event.type,
    contentType: CLOUDEVENTS_CONTENT_TYPE,
    applicationProperties: { type: event.type, org_id: event.orgid },
    body: event,
  };
}
