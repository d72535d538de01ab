// The transactional outbox (docs/events.md): a change and its CloudEvents commit in one batch, then go to the bus.
import type { JSONObject, OperationInput } from "@azure/cosmos";
import { busPublisher } from "../bus/publisher";
import { nowMs } from "../clock";
import { consoleLogger } from "../log";
import type { Logger } from "../log";
import type { ContainerName } from "../store/containers";
import { TenantRepository } from "../store/repository";
import type { CloudEvent } from "./cloud-event";

/** An event waiting for the bus, stored next to the change it describes (same container, same partition). */
export interface OutboxDoc {
  id: string;
  org_id: string;
  type: "outbox";
  event: CloudEvent;
  created_at_ms: number;
}

export const outboxDocId = (eventId: string): string => `outbox:${eventId}`;

/**
 * Containers given to commitWithEvents, so they may hold outbox documents; the relay scans each of them: identity
 * (IAM and sign-in: the change and its event in one batch) and outbox (events with no change of their own).
 * A test keeps this list equal to the containers commitWithEvents is given.
 */
export const OUTBOX_CONTAINERS: ContainerName[] = ["identity", "outbox"];

const repositories = new Map<ContainerName, TenantRepository<OutboxDoc>>();
export function outboxRepository(container: ContainerName): TenantRepository<OutboxDoc> {
  let repository = repositories.get(container);
  if (!repository) {
    repository = new TenantRepository<OutboxDoc>(container);
    repositories.set(container, repository);
  }
  return repository;
}

export function outboxOperation(event: CloudEvent, partition: string): OperationInput {
  const doc: OutboxDoc = {
    id: outboxDocId(event.id),
    org_id: partition,
    type: "outbox",
    event,
    created_at_ms: nowMs(),
  };
  // CloudEvent data is JSON by construction; the SDK's JSONObject type cannot say so about an interface.
  return { operationType: "Create", resourceBody: doc as unknown as JSONObject };
}

/**
 * Writes `operations` and one outbox document per event in a single transactional batch in `partition`, then
 * publishes the events and clears their outbox documents. If the bus is down the documents stay for the relay
 * (shared/events/relay.ts); a failed commit publishes nothing.
 */
export async function commitWithEvents(
  container: ContainerName,
  partition: string,
  operations: OperationInput[],
  events: CloudEvent[],
  log: Logger = consoleLogger(),
): Promise<void> {
  const repository = outboxRepository(container);
  const all = [...operations, ...events.map((event) => outboxOperation(event, partition))];
  if (all.length === 0) return;
  await repository.batch(partition, all);
  if (events.length > 0) await publishCommitted(container, partition, events, log);
}

let leftBehind = false;

/** Whether this process left events in an outbox since the last call (the relay's cue to scan now). */
export function takeLeftBehindFlag(): boolean {
  const was = leftBehind;
  leftBehind = false;
  return was;
}

/** Asks the relay to look again on its next run. */
export function markLeftBehind(): void {
  leftBehind = true;
}

/** Publishes committed events and removes their outbox documents; leaves them for the relay on failure. */
export async function publishCommitted(
  container: ContainerName,
  partition: string,
  events: CloudEvent[],
  log: Logger,
): Promise<boolean> {
  try {
    await busPublisher().publish(events);
  } catch (error) {
    leftBehind = true;
    log.warn("events left in the outbox for the relay", {
      event_ids: events.map((event) => event.id),
      error: error instanceof Error ? error.message : String(error),
    });
    return false;
  }
  const repository = outboxRepository(container);
  await Promise.all(
    events.map((event) => repository.delete(partition, outboxDocId(event.id)).catch(() => false)),
  );
  return true;
}
