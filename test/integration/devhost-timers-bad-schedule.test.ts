// A timer with a schedule that is not a 6-field NCRONTAB expression stops the devhost at start, naming the function.
import { describe, expect, it } from "vitest";
import { bootDevHost, builtPath } from "../support/devhost";

describe("devhost timers: a bad schedule", () => {
  it("fails the start with a message naming the function, the schedule and the expected fields", async () => {
    await expect(
      bootDevHost({ extraFunctionFiles: [builtPath("test/fixtures/bad-timer-app.js")] }),
    ).rejects.toThrow(
      /Function "fixtureBadSchedule": the schedule "\*\/5 \* \* \* \*" is not an NCRONTAB expression of 6 fields \(\{second\} \{minute\}/,
    );
  });
});
