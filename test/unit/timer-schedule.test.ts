// NCRONTAB schedules as the devhost reads them: 6 fields with seconds, UTC, day and day-of-week both required.
import { describe, expect, it } from "vitest";
import { parseSchedule } from "../../devhost/timers/schedule";

const next = (expression: string, after: string) =>
  parseSchedule(expression, "test").next(new Date(after))?.toISOString();

describe("timer schedules", () => {
  it("reads the first field as seconds", () => {
    expect(next("*/10 * * * * *", "2025-03-01T10:00:01Z")).toBe("2025-03-01T10:00:10.000Z");
    expect(next("0 */5 * * * *", "2025-03-01T10:00:00Z")).toBe("2025-03-01T10:05:00.000Z");
  });

  it("evaluates in UTC, as the host does without WEBSITE_TIME_ZONE", () => {
    expect(next("0 30 9 * * *", "2025-03-01T10:00:00Z")).toBe("2025-03-02T09:30:00.000Z");
  });

  it("needs both the day and the day of week when both are given (NCrontab), not either", () => {
    // 2025-06-13 is the first Friday the 13th after June 1st.
    expect(next("0 0 0 13 * 5", "2025-06-01T00:00:00Z")).toBe("2025-06-13T00:00:00.000Z");
    expect(next("0 0 0 13 * Fri", "2025-06-14T00:00:00Z")).toBe("2026-02-13T00:00:00.000Z");
  });

  it("refuses 5-field cron and TimeSpan schedules, naming the expected fields", () => {
    expect(() => parseSchedule("*/5 * * * *", 'Function "f"')).toThrow(/Function "f".*6 fields.*\{second\}/);
    expect(() => parseSchedule("00:05:00", 'Function "f"')).toThrow(/TimeSpan/);
  });

  it("refuses an out-of-range field with the parser's reason", () => {
    expect(() => parseSchedule("0 61 * * * *", 'Function "f"')).toThrow(/Function "f".*not a valid NCRONTAB/);
  });
});
