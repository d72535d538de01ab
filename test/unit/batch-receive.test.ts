// A batch function's receive rules on one subscription: the size cap, the minimum and its wait, one batch at a time.
import { describe, expect, it } from "vitest";
import type { BusMessage, Delivery } from "../../devhost/bus/message";
import type { ReceiveOptions } from "../../devhost/bus/receive-options";
import { Subscription } from "../../devhost/bus/subscription";
import { everyEvent } from "../../shared/bus/topology";

const message = (sequenceNumber: number): BusMessage => ({
  entity: "t",
  messageId: `m${sequenceNumber}`,
  applicationProperties: {},
  body: { sequenceNumber },
  enqueuedTimeUtc: new Date().toISOString(),
  sequenceNumber,
});

/** A subscription with one batch consumer that records each batch's message ids and when it came. */
function batchSubscription(receive: ReceiveOptions) {
  const batches: { ids: string[]; at: number }[] = [];
  const waiters: (() => void)[] = [];
  const state = { paused: false };
  const subscription = new Subscription("t", "s", everyEvent, {
    isPaused: () => state.paused,
    changed: () => undefined,
    deadLetter: () => undefined,
    failed: () => undefined,
  });
  subscription.attach({
    functionName: "f",
    receive,
    deliver: async (deliveries: Delivery[]) => {
      batches.push({ ids: deliveries.map((d) => d.message.messageId), at: Date.now() });
      waiters.splice(0).forEach((resolve) => resolve());
    },
  });
  const nextBatch = () => new Promise<void>((resolve) => waiters.push(resolve));
  const send = (...numbers: number[]) =>
    numbers.forEach((n) => subscription.enqueue({ message: message(n), deliveryCount: 0 }));
  /** Sends while held, then releases: the messages are all ready at once. */
  const sendTogether = (...numbers: number[]) => {
    state.paused = true;
    send(...numbers);
    state.paused = false;
    subscription.pump();
  };
  return { subscription, batches, nextBatch, send, sendTogether };
}

describe("batch receive", () => {
  it("waits for minMessageBatchSize, then sends a partial batch once maxBatchWaitTime has passed", async () => {
    const { subscription, batches, nextBatch, send, sendTogether } = batchSubscription({
      maxMessages: 5,
      minMessages: 3,
      maxBatchWaitMs: 100,
      concurrency: 1,
    });
    const sentAt = Date.now();
    const partial = nextBatch();
    send(1, 2);
    expect(batches).toEqual([]);
    expect(subscription.isIdle()).toBe(false); // the wait keeps the bus busy, so idle() waits for the batch
    await partial;
    expect(batches[0]!.ids).toEqual(["m1", "m2"]);
    expect(batches[0]!.at - sentAt).toBeGreaterThanOrEqual(90);

    await new Promise((resolve) => setImmediate(resolve)); // the first batch is settled
    const full = nextBatch();
    sendTogether(3, 4, 5, 6, 7, 8);
    await full;
    expect(batches[1]!.ids).toEqual(["m3", "m4", "m5", "m6", "m7"]); // the cap; m8 is left below the minimum
    await nextBatch();
    expect(batches[2]!.ids).toEqual(["m8"]);
    await subscription.stop();
  });
});
