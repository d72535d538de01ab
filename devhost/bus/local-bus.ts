// The devhost's in-process Service Bus: topics with filtered subscriptions, queues, a published log and dead letters.
import { randomUUID } from "node:crypto";
import type { SubscriptionFilter } from "../../shared/bus/topology";
import { everyEvent, matchesFilter } from "../../shared/bus/topology";
import type { Clock } from "../../shared/clock";
import { carriageProblems, MAX_MESSAGE_ID_LENGTH } from "../../shared/bus/limits";
import { AppError } from "../../shared/errors";
import type { BusMessage, DeadLetter, Delivery, MessageFields } from "./message";
import { Subscription } from "./subscription";

interface Entity {
  name: string;
  kind: "topic" | "queue";
  /** A queue is one unfiltered "subscription" of its own. */
  subscriptions: Subscription[];
  sequence: number;
}

export class UnknownEntityError extends Error {
  override readonly name = "UnknownEntityError";
}

/** A message Service Bus (or the SDK, before sending) refuses, with the SDK's own words. */
export class MessageRefusedError extends Error {
  override readonly name = "MessageRefusedError";
}

/** Why the SDK or a Standard-tier namespace would refuse this message, in its words; undefined when it takes it. */
export function refusalOf(fields: MessageFields): string | undefined {
  const [problem] = carriageProblems(fields);
  if (!problem) return undefined;
  return problem.path === "id"
    ? `Length of 'messageId' property on the message cannot be greater than ${MAX_MESSAGE_ID_LENGTH} characters.`
    : `MessageSizeExceeded: ${problem.message}.`;
}

/** The published log keeps the most recent messages only, so a long `npm start` session does not grow without end. */
export const PUBLISHED_LOG_LIMIT = 10_000;

/** Seconds a caller is told to wait while the bus is down. */
const OUTAGE_RETRY_AFTER = 5;

const key = (name: string) => name.toLowerCase(); // Service Bus entity names are case-insensitive

export interface ReleaseOptions {
  /** Deliver every held message twice (the copies after all the originals), as redeliveries would. */
  duplicate?: boolean;
  /** Deliver the held messages newest first. */
  reverse?: boolean;
  /** One delivery at a time until the held messages are settled, so the order is the order handlers finish in. */
  serial?: boolean;
}

export class LocalBus {
  private readonly entities = new Map<string, Entity>();
  /** Every subscription and queue, for the idle check that runs on each send and settlement. */
  private readonly everySubscription: Subscription[] = [];
  private readonly log: BusMessage[] = [];
  private readonly dead: DeadLetter[] = [];
  private idleWaiters: (() => void)[] = [];
  private down = false;
  private paused = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: {
      onDeadLetter?: (record: DeadLetter) => void;
      onFailure?: (functionName: string, delivery: Delivery, error: unknown) => void;
    },
  ) {}

  addTopic(name: string): void {
    if (!this.entities.has(key(name)))
      this.entities.set(key(name), { name, kind: "topic", subscriptions: [], sequence: 0 });
  }

  addQueue(name: string): Subscription {
    const existing = this.entities.get(key(name));
    if (existing && existing.kind !== "queue") throw new Error(`"${name}" is a topic, not a queue.`);
    if (existing) return existing.subscriptions[0]!;
    const queue = this.newSubscription(name, undefined, everyEvent);
    this.entities.set(key(name), { name, kind: "queue", subscriptions: [queue], sequence: 0 });
    return queue;
  }

  /** The subscription, created with `filter` (default: Service Bus's `$Default` rule, 1=1) if it does not exist. */
  subscription(topic: string, name: string, filter: SubscriptionFilter = everyEvent): Subscription {
    this.addTopic(topic);
    const entity = this.entities.get(key(topic))!;
    if (entity.kind !== "topic") throw new Error(`"${topic}" is a queue, not a topic.`);
    const found = entity.subscriptions.find((s) => key(s.name!) === key(name));
    if (found) return found;
    const created = this.newSubscription(entity.name, name, filter);
    entity.subscriptions.push(created);
    return created;
  }

  subscriptions(): Subscription[] {
    return [...this.entities.values()].flatMap((entity) => entity.subscriptions);
  }

  /** Sends one message; it is copied to every subscription whose filter it passes. */
  send(entityName: string, fields: MessageFields): BusMessage {
    if (this.down)
      throw new AppError("bus.unavailable", "The bus is unavailable (simulated outage).", {
        retryAfter: OUTAGE_RETRY_AFTER,
      });
    const entity = this.entities.get(key(entityName));
    if (!entity) throw new UnknownEntityError(`No topic or queue named "${entityName}".`);
    const refusal = refusalOf(fields);
    if (refusal) throw new MessageRefusedError(refusal);
    const message: BusMessage = {
      entity: entity.name,
      messageId: fields.messageId ?? randomUUID().replace(/-/g, ""),
      subject: fields.subject,
      contentType: fields.contentType,
      correlationId: fields.correlationId,
      applicationProperties: { ...fields.applicationProperties },
      body: fields.body,
      enqueuedTimeUtc: new Date(this.clock.now()).toISOString(),
      sequenceNumber: ++entity.sequence,
    };
    this.log.push(message);
    // Trimmed in chunks: dropping one at a time would shift the whole log on every send.
    if (this.log.length >= 2 * PUBLISHED_LOG_LIMIT) this.log.splice(0, this.log.length - PUBLISHED_LOG_LIMIT);
    for (const subscription of entity.subscriptions) {
      if (matchesFilter(subscription.filter, message.applicationProperties))
        subscription.enqueue({ message, deliveryCount: 0 });
    }
    this.changed();
    return message;
  }

  /** Every message sent, in order (the last PUBLISHED_LOG_LIMIT of them). */
  published(): BusMessage[] {
    return this.log.slice(-PUBLISHED_LOG_LIMIT);
  }

  deadLetters(): DeadLetter[] {
    return [...this.dead];
  }

  /** Resolves once no delivery is queued, waiting for a retry, or running (held messages excepted). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  simulateOutage(): void {
    this.down = true;
  }

  recover(): void {
    this.down = false;
  }

  /** Holds every delivery that has not started yet (running ones finish). */
  pause(): void {
    this.paused = true;
  }

  release(options: ReleaseOptions = {}): void {
    for (const subscription of this.subscriptions()) subscription.release(options);
    this.paused = false;
    for (const subscription of this.subscriptions()) subscription.pump();
    this.changed();
  }

  /** Delivers nothing more; resolves when the running deliveries have finished (so the store can close after). */
  async stop(): Promise<void> {
    await Promise.all(this.subscriptions().map((subscription) => subscription.stop()));
    this.resolveIdle();
  }

  private newSubscription(entity: string, name: string | undefined, filter: SubscriptionFilter) {
    const subscription = new Subscription(entity, name, filter, {
      isPaused: () => this.paused,
      changed: () => this.changed(),
      deadLetter: (record) => {
        this.dead.push(record);
        this.options.onDeadLetter?.(record);
      },
      failed: (functionName, delivery, error) => this.options.onFailure?.(functionName, delivery, error),
    });
    this.everySubscription.push(subscription);
    return subscription;
  }

  private isIdle(): boolean {
    return this.everySubscription.every((subscription) => subscription.isIdle());
  }

  private changed(): void {
    if (this.idleWaiters.length > 0 && this.isIdle()) this.resolveIdle();
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
