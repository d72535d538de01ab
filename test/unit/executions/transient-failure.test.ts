// A transient failure gets a whole fan-out batch redelivered; anything else must not (docs/events.md, "Delivery").
import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors";
import { isTransientFailure } from "../../../shared/executions/transient-failure";

describe("isTransientFailure", () => {
  it("holds for the store or the bus unavailable, and for Durable's HTTP API failing or busy", () => {
    expect(isTransientFailure(new AppError("store.unavailable", "down"))).toBe(true);
    expect(isTransientFailure(new AppError("bus.unavailable", "down"))).toBe(true);
    // durable-functions' DurableClient.createGenericError
    expect(
      isTransientFailure(new Error('The operation failed with an unexpected status code: 503. Details: ""')),
    ).toBe(true);
    expect(
      isTransientFailure(new Error("The operation failed with an unexpected status code: 429. Details: {}")),
    ).toBe(true);
    expect(
      isTransientFailure(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
    ).toBe(true);
    expect(isTransientFailure(Object.assign(new Error("Network Error"), { isAxiosError: true }))).toBe(true);
  });

  it("does not hold for a problem a redelivery would meet again", () => {
    expect(isTransientFailure(new AppError("request.invalid", "bad"))).toBe(false);
    expect(isTransientFailure(new AppError("resource.conflict", "exists"))).toBe(false);
    expect(
      isTransientFailure(new Error("The operation failed with an unexpected status code: 400. Details: {}")),
    ).toBe(false);
    expect(
      isTransientFailure(Object.assign(new Error("Bad"), { isAxiosError: true, response: { status: 400 } })),
    ).toBe(false);
    expect(isTransientFailure(new TypeError("x is undefined"))).toBe(false);
  });
});
