// One subscription (or queue) of the devhost bus: peek-lock delivery to its functions, retries, dead-lettering.
import type { SubscriptionFilter } from "../../shared/bus/topology";
import { Deque } from "./deque";
import type { DeadLetter, Delivery } from "./message";
import type { ReceiveOptions } from "./receive-options";
import { batchSize } from "./receive-options";

/** Service Bus's default MaxDeliveryCount for queues and subscriptions. */
export const MAX_DELIVERY_COUNT = 10;

/** Service Bus makes an abandoned message available at once; a short pause keeps a failing handler from spinning. */
export const retryDelayMs = (deliveryCount: number): number => Math.min(10 * deliveryCount, 100);

/**
 * A function listening on the subscription. It gets one message per invocation, or a batch (cardinality "many"),
 * and rejects when the invocation fails: the host then abandons every message it was given.
 */
export interface Consumer {
  functionName: string;
  receive: ReceiveOptions;
  deliver(deliveries: Delivery[]): Promise<void>;
}

/** What a subscription needs from its bus. */
export interface SubscriptionHost {
  isPaused(): boolean;
  /** Something was queued or settled: the bus re-checks whether it is idle. */
  changed(): void;
  deadLetter(record: DeadLetter): void;
  /** A delivery failed and the message was abandoned (or dead-lettered). */
  failed(functionName: string, delivery: Delivery, error: unknown): void;
}

/** A consumer's receiver: its invocations running, and the wait for a fuller batch. */
interface Receiver {
  consumer: Consumer;
  running: number;
  /** Running while fewer than minMessageBatchSize messages are ready; when it fires, a partial batch may go. */
  batchWait?: NodeJS.Timeout;
  waited: boolean;
}

export class Subscription {
  /** Deliveries available to the functions, in order; held here while the bus is paused. */
  private ready = new Deque<Delivery>();
  private readonly receivers: Receiver[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private turn = 0;
  /** Deliver one invocation at a time until the queue drains (release({ serial })). */
  private serial = false;
  private stopped = false;

  constructor(
    readonly entity: string,
    /** Undefined for a queue. */
    readonly name: string | undefined,
    readonly filter: SubscriptionFilter,
    private readonly host: SubscriptionHost,
  ) {}

  get consumers(): Consumer[] {
    return this.receivers.map((receiver) => receiver.consumer);
  }

  attach(consumer: Consumer): void {
    this.receivers.push({ consumer, running: 0, waited: false });
  }

  enqueue(delivery: Delivery): void {
    this.ready.push(delivery);
    this.pump();
  }

  /** Nothing this subscription could deliver is waiting or running (held and consumer-less messages don't count). */
  isIdle(): boolean {
    const blocked = this.host.isPaused() || this.receivers.length === 0;
    const waiting = this.receivers.some((receiver) => receiver.batchWait !== undefined);
    return (
      this.inFlight() === 0 &&
      this.retryTimers.size === 0 &&
      (blocked || (this.ready.length === 0 && !waiting))
    );
  }

  /** Puts the held deliveries back, transformed, and delivers them. */
  release({ duplicate = false, reverse = false, serial = false }): void {
    let held = this.ready.toArray();
    if (reverse) held.reverse();
    if (duplicate)
      held = [...held, ...held.map((d) => ({ message: d.message, deliveryCount: d.deliveryCount }))];
    this.ready = Deque.from(held);
    this.serial = serial && held.length > 0;
  }

  /** Hands the ready messages to the consumers in turn, each up to its own concurrency and batch size. */
  pump(): void {
    let passed = 0; // consumers in a row that took nothing
    while (
      !this.stopped &&
      !this.host.isPaused() &&
      this.ready.length > 0 &&
      passed < this.receivers.length
    ) {
      if (this.serial && this.inFlight() > 0) return;
      const receiver = this.receivers[this.turn++ % this.receivers.length]!;
      const size = this.takeFor(receiver);
      if (size === 0) {
        passed++;
        continue;
      }
      passed = 0;
      const running = this.deliver(receiver, this.ready.shiftMany(size));
      this.running.add(running);
      void running.finally(() => this.running.delete(running));
    }
  }

  /** Delivers nothing more; resolves when the deliveries already running have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    for (const receiver of this.receivers) this.endBatchWait(receiver);
    await Promise.all(this.running);
  }

  private inFlight(): number {
    return this.receivers.reduce((sum, receiver) => sum + receiver.running, 0);
  }

  /** How many ready messages this consumer takes now (0: none), starting its batch wait when it must wait. */
  private takeFor(receiver: Receiver): number {
    const { receive } = receiver.consumer;
    if (receiver.running >= receive.concurrency) return 0;
    const size = batchSize(receive, this.ready.length, receiver.waited);
    if (size > 0) this.endBatchWait(receiver);
    else if (!receiver.batchWait) {
      receiver.batchWait = setTimeout(() => {
        receiver.batchWait = undefined;
        // Only the messages that waited go short; with none left, the next ones wait afresh.
        receiver.waited = this.ready.length > 0;
        this.pump();
        this.host.changed();
      }, receive.maxBatchWaitMs);
    }
    return size;
  }

  private endBatchWait(receiver: Receiver): void {
    if (receiver.batchWait) clearTimeout(receiver.batchWait);
    receiver.batchWait = undefined;
    receiver.waited = false;
  }

  private async deliver(receiver: Receiver, deliveries: Delivery[]): Promise<void> {
    receiver.running++;
    for (const delivery of deliveries) delivery.deliveryCount++;
    try {
      await receiver.consumer.deliver(deliveries);
    } catch (error) {
      this.abandon(receiver.consumer, deliveries, error);
    } finally {
      receiver.running--;
      if (this.serial && this.ready.length === 0 && this.inFlight() === 0 && this.retryTimers.size === 0)
        this.serial = false;
      this.pump();
      this.host.changed();
    }
  }

  /** Abandons every message of a failed invocation: each comes back, or is dead-lettered at the max, on its own. */
  private abandon(consumer: Consumer, deliveries: Delivery[], error: unknown): void {
    if (this.stopped) return;
    const back: Delivery[] = [];
    for (const delivery of deliveries) {
      this.host.failed(consumer.functionName, delivery, error);
      if (delivery.deliveryCount < MAX_DELIVERY_COUNT) back.push(delivery);
      else this.deadLetter(consumer, delivery, error);
    }
    if (back.length === 0) return;
    // Abandoned messages keep their place: they are the next available once their pause is over.
    const timer = setTimeout(
      () => {
        this.retryTimers.delete(timer);
        this.ready.unshiftAll(back);
        this.pump();
        this.host.changed();
      },
      retryDelayMs(Math.max(...back.map((delivery) => delivery.deliveryCount))),
    );
    this.retryTimers.add(timer);
  }

  private deadLetter(consumer: Consumer, delivery: Delivery, error: unknown): void {
    this.host.deadLetter({
      entity: this.entity,
      subscription: this.name,
      functionName: consumer.functionName,
      message: delivery.message,
      deliveryCount: delivery.deliveryCount,
      deadLetterReason: "MaxDeliveryCountExceeded",
      deadLetterErrorDescription: `Message could not be consumed after ${MAX_DELIVERY_COUNT} delivery attempts.`,
      lastError: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}
