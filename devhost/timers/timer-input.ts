// The timer trigger's input as the host sends it (TimerInfo, PascalCase); the library camel-cases it for the handler.
import type { InvocationRequest } from "../core/types";

/** What .NET's ScheduleStatus holds before the first recorded occurrence (DateTime.MinValue). */
const NEVER = "0001-01-01T00:00:00.000Z";

export interface ScheduleStatus {
  last: Date | undefined;
  next: Date | undefined;
  lastUpdated: Date | undefined;
}

export function timerInvocation(
  triggerName: string,
  status: ScheduleStatus,
  isPastDue: boolean,
): InvocationRequest {
  const timerInfo = {
    Schedule: { AdjustForDST: true },
    ScheduleStatus: {
      Last: status.last?.toISOString() ?? NEVER,
      Next: status.next?.toISOString() ?? NEVER,
      LastUpdated: status.lastUpdated?.toISOString() ?? NEVER,
    },
    IsPastDue: isPastDue,
  };
  return {
    inputData: [{ name: triggerName, data: { json: JSON.stringify(timerInfo) } }],
    triggerMetadata: {},
  };
}
