// A Service Bus trigger's input as a list of messages with their ids, for one message or a batch.
import { describe, expect, it } from "vitest";
import { triggeredMessages } from "../../shared/bus/trigger-batch";

describe("triggeredMessages", () => {
  it("pairs a batch's bodies with messageIdArray, in order", () => {
    expect(
      triggeredMessages([{ a: 1 }, "two"], { messageIdArray: ["m1", "m2"], deliveryCountArray: [1, 2] }),
    ).toEqual([
      { body: { a: 1 }, messageId: "m1" },
      { body: "two", messageId: "m2" },
    ]);
  });

  it("keeps a batch whose ids are missing, not strings, or cannot be paired with its bodies", () => {
    expect(triggeredMessages([1, 2], { messageIdArray: ["m1", 7] })).toEqual([
      { body: 1, messageId: "m1" },
      { body: 2, messageId: undefined },
    ]);
    expect(triggeredMessages([1], undefined)).toEqual([{ body: 1, messageId: undefined }]);
    // An empty body is left out of the host's string array: which id belongs to which body is unknown.
    expect(triggeredMessages(["a", "b"], { messageIdArray: ["m1", "m2", "m3"] })).toEqual([
      { body: "a", messageId: undefined },
      { body: "b", messageId: undefined },
    ]);
  });

  it("makes one message a batch of one", () => {
    expect(triggeredMessages({ a: 1 }, { messageId: "m1" })).toEqual([{ body: { a: 1 }, messageId: "m1" }]);
  });
});
