// host.json's `extensions.serviceBus`, read as the Service Bus extension (v5) binds it to its ServiceBusOptions.
import type { HostJson } from "../load-app";

export interface ServiceBusOptions {
  /** Invocations at once per single-message (cardinality "one") function. */
  maxConcurrentCalls: number;
  /** Messages per invocation of a batch (cardinality "many") function, at most. */
  maxMessageBatchSize: number;
  /** Below this many ready messages a batch function waits up to maxBatchWaitTimeMs for more. */
  minMessageBatchSize: number;
  maxBatchWaitTimeMs: number;
}

/**
 * The extension's defaults. MaxConcurrentCalls is 16 × the processor count in Azure; the devhost keeps 16 (the
 * app's host.json says 16 anyway). The batch defaults are ServiceBusOptions' own.
 */
const DEFAULTS: ServiceBusOptions = {
  maxConcurrentCalls: 16,
  maxMessageBatchSize: 1000,
  minMessageBatchSize: 1,
  maxBatchWaitTimeMs: 30_000,
};

/** ServiceBusOptions.MaxBatchWaitTime documents 2 minutes 30 seconds (half the longest lock) as its ceiling. */
const MAX_BATCH_WAIT_MS = 150_000;

/** A .NET TimeSpan as configuration binds it: `[d.]hh:mm:ss[.fffffff]`. */
const TIME_SPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$/;

function timeSpanMs(text: string, name: string): number {
  const parts = TIME_SPAN.exec(text.trim());
  if (!parts) throw new Error(`host.json serviceBus.${name}: "${text}" is not a TimeSpan (hh:mm:ss).`);
  const [, days = "0", hours, minutes, seconds, fraction = "0"] = parts;
  return (
    ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 +
    Number(seconds) * 1000 +
    Math.round(Number(`0.${fraction}`) * 1000)
  );
}

function positiveInt(value: unknown, name: string): number {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < 1)
    throw new Error(
      `host.json serviceBus.${name} must be a whole number of at least 1 (got ${JSON.stringify(value)}).`,
    );
  return number;
}

/** Configuration keys bind case-insensitively, as .NET configuration does. */
function setting(section: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(section).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : section[key];
}

export function serviceBusOptions(hostJson: HostJson): ServiceBusOptions {
  const section = hostJson.extensions?.serviceBus ?? {};
  const read = <T>(name: string, parse: (value: unknown, name: string) => T, fallback: T): T => {
    const value = setting(section, name);
    return value === undefined ? fallback : parse(value, name);
  };
  // Node handlers cannot settle messages themselves, so without auto-completion every message would come back
  // when its lock expires: the devhost refuses that rather than deliver it differently.
  if (String(setting(section, "autoCompleteMessages") ?? true).toLowerCase() !== "true")
    throw new Error("host.json serviceBus.autoCompleteMessages: false is not emulated by the devhost.");
  const options: ServiceBusOptions = {
    maxConcurrentCalls: read("maxConcurrentCalls", positiveInt, DEFAULTS.maxConcurrentCalls),
    maxMessageBatchSize: read("maxMessageBatchSize", positiveInt, DEFAULTS.maxMessageBatchSize),
    minMessageBatchSize: read("minMessageBatchSize", positiveInt, DEFAULTS.minMessageBatchSize),
    maxBatchWaitTimeMs: read(
      "maxBatchWaitTime",
      (value, name) => timeSpanMs(String(value), name),
      DEFAULTS.maxBatchWaitTimeMs,
    ),
  };
  if (options.minMessageBatchSize > options.maxMessageBatchSize)
    throw new Error("host.json serviceBus.minMessageBatchSize must not exceed maxMessageBatchSize.");
  if (options.maxBatchWaitTimeMs > MAX_BATCH_WAIT_MS)
    throw new Error(
      "host.json serviceBus.maxBatchWaitTime must be at most 00:02:30 (half the longest lock).",
    );
  return options;
}
