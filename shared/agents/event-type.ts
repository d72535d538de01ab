// Trigger event types: exact (`psa.ticket.created`) or a prefix wildcard (`hub.iam.*`), and how they match an event.
import { z } from "zod";

const SEGMENT = "[A-Za-z0-9_-]{1,64}";
const EVENT_TYPE = new RegExp(`^${SEGMENT}(\\.${SEGMENT})*$`);
const PATTERN = new RegExp(`^${SEGMENT}(\\.${SEGMENT})*(\\.\\*)?$`);

/** A bare `*` is refused on purpose: an agent names at least the source whose events it wants. */
export const eventTypePatternSchema = z
  .string()
  .max(200)
  .regex(PATTERN, "must be an event type (psa.ticket.created) or a prefix wildcard (hub.iam.*)");

export const isEventType = (type: string): boolean => type.length <= 200 && EVENT_TYPE.test(type);

/** `hub.iam.*` matches `hub.iam.user_created` (and deeper types), never `hub.iam` itself or `hub.iamx.y`. */
export function matchesEventType(pattern: string, type: string): boolean {
  if (!pattern.endsWith(".*")) return pattern === type;
  const prefix = pattern.slice(0, -1);
  return type.length > prefix.length && type.startsWith(prefix);
}
