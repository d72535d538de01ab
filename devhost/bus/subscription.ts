// One subscription (or queue) of the devhost bus: peek-lock delivery to its functions, retries, dead-lettering.
import type { SubscriptionFilter } from "../../shared/bus/topology";
import type { DeadLetter, Delivery } from "./message";

/** Service Bus's default MaxDeliveryCount for queues and subscriptions. */
export const MAX_DELIVERY_COUNT = 10;

/** Service Bus makes an abandoned message available at once; a short pause keeps a failing handler from spinning. */
export const retryDelayMs = (deliveryCount: number): number => Math.min(10 * deliveryCount, 100);

/** A function listening on the subscription; it rejects when the invocation fails (the host then abandons). */
export interface Consumer {
  functionName: string;
  deliver(delivery: Delivery): Promise<void>;
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

export class Subscription {
  /** Deliveries available to the functions, in order; held here while the bus is paused. */
  ready: Delivery[] = [];
  readonly consumers: Consumer[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private inFlight = 0;
  private turn = 0;
  /** Deliver one at a time until the queue drains (release({ serial })). */
  private serial = false;
  private stopped = false;

  constructor(
    readonly entity: string,
    /** Undefined for a queue. */
    readonly name: string | undefined,
    readonly filter: SubscriptionFilter,
    private readonly maxConcurrentCalls: number,
    private readonly host: SubscriptionHost,
  ) {}

  enqueue(delivery: Delivery): void {
    this.ready.push(delivery);
    this.pump();
  }

  /** Nothing this subscription could deliver is waiting or running (held and consumer-less messages don't count). */
  isIdle(): boolean {
    const blocked = this.host.isPaused() || this.consumers.length === 0;
    return this.inFlight === 0 && this.retryTimers.size === 0 && (blocked || this.ready.length === 0);
  }

  /** Puts the held deliveries back, transformed, and delivers them. */
  release({ duplicate = false, reverse = false, serial = false }): void {
    let held = reverse ? [...this.ready].reverse() : [...this.ready];
    if (duplicate)
      held = [...held, ...held.map((d) => ({ message: d.message, deliveryCount: d.deliveryCount }))];
    this.ready = held;
    this.serial = serial && held.length > 0;
  }

  pump(): void {
    if (this.consumers.length === 0) return; // Service Bus keeps the messages until a receiver comes
    const limit = this.serial ? 1 : this.maxConcurrentCalls * this.consumers.length;
    while (!this.stopped && !this.host.isPaused() && this.ready.length > 0 && this.inFlight < limit) {
      const consumer = this.consumers[this.turn++ % this.consumers.length]!;
      const running = this.deliver(consumer, this.ready.shift()!);
      this.running.add(running);
      void running.finally(() => this.running.delete(running));
    }
  }

  /** Delivers nothing more; resolves when the deliveries already running have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await Promise.all(this.running);
  }

  private async deliver(consumer: Consumer, delivery: Delivery): Promise<void> {
    this.inFlight++;
    delivery.deliveryCount++;
    try {
      await consumer.deliver(delivery);
    } catch (error) {
      this.abandon(consumer, delivery, error);
    } finally {
      this.inFlight--;
      if (this.serial && this.ready.length === 0 && this.inFlight === 0 && this.retryTimers.size === 0)
        this.serial = false;
      this.pump();
      this.host.changed();
    }
  }

  private abandon(consumer: Consumer, delivery: Delivery, error: unknown): void {
    if (this.stopped) return;
    this.host.failed(consumer.functionName, delivery, error);
    if (delivery.deliveryCount >= MAX_DELIVERY_COUNT) {
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
      return;
    }
    // An abandoned message keeps its place: it is the next one available once its pause is over.
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.ready.unshift(delivery);
      this.pump();
      this.host.changed();
    }, retryDelayMs(delivery.deliveryCount));
    this.retryTimers.add(timer);
  }
}
