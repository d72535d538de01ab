// A batch of events on The One Bus becomes one execution per matching agent and event, deduplicated per agent and
// event, worked per org (docs/events.md, "Delivery"; docs/agents.md, "How an event finds its agents").
import type * as df from "durable-functions";
import type { TriggeredMessage } from "../bus/trigger-batch";
import { concurrencyLimit } from "../concurrency-limit";
import type { CloudEvent } from "../events/cloud-event";
import { parseEnvelope } from "../events/envelope";
import { toFieldIssues } from "../http/validation";
import type { Logger } from "../log";
import { BatchFailures } from "./batch-failures";
import { recordInvalidEvent } from "./invalid-events";
import { fanOutOrg } from "./org-fan-out";

/**
 * Orgs of a batch worked at once, and executions (or invalid records) started at once across the batch: a start is
 * an HTTP call to Durable and the orchestrator's first episode, so a batch of hundreds must not start all together.
 */
const ORGS_AT_ONCE = 16;
const STARTS_AT_ONCE = 16;

/**
 * The agents subscription's work for one batch (one message is a batch of one). Invalid envelopes are recorded
 * and completed; a problem of one message never fails the others; a transient failure (store or Durable
 * unavailable) throws once the rest of the batch was worked, so Service Bus redelivers the batch.
 */
export async function fanOutBatch(
  messages: readonly TriggeredMessage[],
  client: df.DurableClient,
  log: Logger,
): Promise<void> {
  const failures = new BatchFailures(log);
  const startSlot = concurrencyLimit(STARTS_AT_ONCE);
  const byOrg = new Map<string, CloudEvent<unknown>[]>();
  const work: Promise<void>[] = [];
  for (const { body, messageId } of messages) {
    const parsed = parseEnvelope(body);
    if (parsed.success) {
      const event = parsed.data as CloudEvent<unknown>;
      const events = byOrg.get(event.orgid);
      if (events) events.push(event);
      else byOrg.set(event.orgid, [event]);
      continue;
    }
    const problems = toFieldIssues(parsed.error, "").map((issue) => `${issue.path}: ${issue.message}`);
    work.push(
      startSlot(() =>
        failures.guard({ message_id: messageId }, () => recordInvalidEvent(body, messageId, problems, log)),
      ),
    );
  }
  const orgSlot = concurrencyLimit(ORGS_AT_ONCE);
  for (const [orgId, events] of byOrg)
    work.push(
      orgSlot(() =>
        failures.guard({ org_id: orgId }, () =>
          fanOutOrg(orgId, events, { client, startSlot, failures, log }),
        ),
      ),
    );
  await Promise.all(work);
  failures.throwIfTransient(messages.length);
}
