// How a Service Bus trigger receives: one message per invocation, or batches (cardinality "many"), and how many at once.
import type { ServiceBusOptions } from "./service-bus-options";

export interface ReceiveOptions {
  /** Messages per invocation, at most. */
  maxMessages: number;
  /** Fewer ready messages than this wait up to maxBatchWaitMs for more before going as a partial batch. */
  minMessages: number;
  maxBatchWaitMs: number;
  /** Invocations of the function running at once on this subscription. */
  concurrency: number;
}

/** Cardinality "one": the SDK's ServiceBusProcessor, MaxConcurrentCalls messages at a time, one per invocation. */
export const singleMessageReceive = (options: ServiceBusOptions): ReceiveOptions => ({
  maxMessages: 1,
  minMessages: 1,
  maxBatchWaitMs: 0,
  concurrency: options.maxConcurrentCalls,
});

/**
 * Cardinality "many": ServiceBusListener.RunBatchReceiveLoopAsync, one loop per function that receives up to
 * MaxMessageBatchSize messages (whatever is there), invokes the function and settles the batch before it receives
 * again, so one batch runs at a time. With MinMessageBatchSize above 1 it holds fewer messages until
 * MaxBatchWaitTime has passed, then sends the partial batch (ServiceBusMessageManager, MonitorCache).
 */
export const batchReceive = (options: ServiceBusOptions): ReceiveOptions => ({
  maxMessages: options.maxMessageBatchSize,
  minMessages: options.minMessageBatchSize,
  maxBatchWaitMs: options.maxBatchWaitTimeMs,
  concurrency: 1,
});

/** How many of `ready` messages to deliver now; 0 means wait (for a fuller batch, once `waited` is false). */
export function batchSize(receive: ReceiveOptions, ready: number, waited: boolean): number {
  if (ready === 0) return 0;
  if (ready < receive.minMessages && !waited) return 0;
  return Math.min(ready, receive.maxMessages);
}
