// host.json's serviceBus section as the devhost reads it: the extension's defaults, its binding rules, and refusals.
import { describe, expect, it } from "vitest";
import { serviceBusOptions } from "../../devhost/bus/service-bus-options";

const withServiceBus = (serviceBus: Record<string, unknown>) =>
  serviceBusOptions({ extensions: { serviceBus } });

describe("serviceBusOptions", () => {
  it("takes the extension's defaults when host.json says nothing", () => {
    expect(serviceBusOptions({})).toEqual({
      maxConcurrentCalls: 16,
      maxMessageBatchSize: 1000,
      minMessageBatchSize: 1,
      maxBatchWaitTimeMs: 30_000,
    });
  });

  it("binds keys in any case, numeric strings and TimeSpans, as .NET configuration does", () => {
    expect(
      withServiceBus({
        MaxConcurrentCalls: "4",
        maxmessagebatchsize: 50,
        minMessageBatchSize: 10,
        maxBatchWaitTime: "00:01:02.5",
      }),
    ).toEqual({
      maxConcurrentCalls: 4,
      maxMessageBatchSize: 50,
      minMessageBatchSize: 10,
      maxBatchWaitTimeMs: 62_500,
    });
  });

  it("refuses what the extension could not run with, naming the setting", () => {
    expect(() => withServiceBus({ maxMessageBatchSize: 0 })).toThrow(/maxMessageBatchSize/);
    expect(() => withServiceBus({ minMessageBatchSize: 20, maxMessageBatchSize: 10 })).toThrow(
      /minMessageBatchSize/,
    );
    expect(() => withServiceBus({ maxBatchWaitTime: "00:05:00" })).toThrow(/maxBatchWaitTime/);
    expect(() => withServiceBus({ maxBatchWaitTime: "thirty seconds" })).toThrow(/TimeSpan/);
    expect(() => withServiceBus({ autoCompleteMessages: false })).toThrow(/autoCompleteMessages/);
  });
});
