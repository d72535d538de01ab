// NCRONTAB schedules of timer triggers: {second} {minute} {hour} {day} {month} {day-of-week}, evaluated in UTC.
import { Cron } from "croner";

export interface Schedule {
  expression: string;
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date | undefined;
}

const FIELDS = "{second} {minute} {hour} {day} {month} {day-of-week}";

export function parseSchedule(expression: string, where: string): Schedule {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 6)
    throw new Error(
      `${where}: the schedule "${expression}" is not an NCRONTAB expression of 6 fields (${FIELDS}); it has ` +
        `${fields.length}. (TimeSpan schedules such as "00:05:00" work only on App Service plans and are not emulated.)`,
    );
  let cron: Cron;
  try {
    // NCrontab requires both the day and the day of week to match when both are restricted (croner ORs by default).
    cron = new Cron(expression, { paused: true, mode: "6-part", timezone: "UTC", domAndDow: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${where}: the schedule "${expression}" is not a valid NCRONTAB expression (${FIELDS}): ${reason}`,
    );
  }
  return { expression, next: (after) => cron.nextRun(after) ?? undefined };
}
