// Date strings in an object-bound batch body, as Json.NET reads and writes them (Newtonsoft.Json DateTimeParser, DateTimeUtils).
import { describe, expect, it } from "vitest";
import { jsonNetDateText, withJsonNetDates } from "../../devhost/bus/json-net-dates";

describe("Json.NET date strings", () => {
  it("drops trailing fraction zeros and keeps Z, as WriteDefaultIsoDate does", () => {
    expect(jsonNetDateText("2026-12-02T08:00:00.120Z")).toBe("2026-12-02T08:00:00.12Z");
    expect(jsonNetDateText("2026-12-02T08:00:00.000Z")).toBe("2026-12-02T08:00:00Z");
    expect(jsonNetDateText("2026-12-02T08:00:00.1234567Z")).toBe("2026-12-02T08:00:00.1234567Z");
    expect(jsonNetDateText("2026-12-02T08:00:00z")).toBe("2026-12-02T08:00:00Z");
  });

  it("turns an offset into the host's local time (UTC), and leaves a time without zone without one", () => {
    expect(jsonNetDateText("2026-12-02T10:00:00.5+02:00")).toBe("2026-12-02T08:00:00.5+00:00");
    expect(jsonNetDateText("2026-12-01T23:30:00-0130")).toBe("2026-12-02T01:00:00+00:00");
    expect(jsonNetDateText("2026-12-02T08:00:00")).toBe("2026-12-02T08:00:00");
    expect(jsonNetDateText("2026-12-02T24:00:00Z")).toBe("2026-12-03T00:00:00Z");
  });

  it("leaves alone what DateTimeParser does not read as a date", () => {
    for (const text of [
      "2026-12-02",
      "2026-02-29T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-12-02 08:00:00Z",
      "2026-12-02T08:00:00.12345678Z",
      "on 2026-12-02T08:00:00Z",
    ])
      expect(jsonNetDateText(text)).toBeUndefined();
    expect(jsonNetDateText("2024-02-29T00:00:00Z")).toBe("2024-02-29T00:00:00Z");
  });

  it("rewrites string values at any depth, never keys", () => {
    expect(
      withJsonNetDates({
        "2026-12-02T08:00:00.500Z": ["2026-12-02T08:00:00.500Z", { at: "2026-12-02T08:00:00.500Z" }],
      }),
    ).toEqual({ "2026-12-02T08:00:00.500Z": ["2026-12-02T08:00:00.5Z", { at: "2026-12-02T08:00:00.5Z" }] });
    expect(withJsonNetDates("2026-12-02T08:00:00.500Z")).toBe("2026-12-02T08:00:00.5Z");
  });
});
