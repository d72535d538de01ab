// History events in the shapes durable-functions replays (node_modules/durable-functions/lib/src/history/*).

/** HistoryEventType.js: the numbers the library switches on. */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  GenericEvent: 17,
  HistoryState: 18,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;

export type EventTypeName = keyof typeof EventType;

const names = new Map<number, EventTypeName>(
  Object.entries(EventType).map(([name, value]) => [value, name as EventTypeName]),
);

export function eventTypeName(type: number): EventTypeName | "Unknown" {
  return names.get(type) ?? "Unknown";
}

/** FailureDetailsPayload.js: what a failed task or orchestration carries (PascalCase, as on the wire). */
export interface FailureDetails {
  ErrorType: string;
  ErrorMessage: string;
  StackTrace?: string;
  IsNonRetriable: boolean;
  Properties?: Record<string, unknown>;
  InnerFailure?: FailureDetails;
}

/**
 * One history event. `EventId` is the task's sequence number on the events that schedule work (TaskScheduled,
 * TimerCreated, SubOrchestrationInstanceCreated) and -1 elsewhere, as in the Durable Task Framework.
 */
export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  /** ISO 8601; the library turns it into a Date. */
  Timestamp: string;
  Name?: string;
  Input?: string;
  Version?: string;
  Result?: string;
  Reason?: string;
  Details?: string;
  FailureDetails?: FailureDetails;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  InstanceId?: string;
  OrchestrationStatus?: string;
  ParentInstance?: { InstanceId: string; TaskScheduledId: number };
}

export function historyEvent(
  type: number,
  timestampMs: number,
  fields: Omit<Partial<HistoryEvent>, "EventType" | "Timestamp"> = {},
): HistoryEvent {
  return {
    EventType: type,
    EventId: -1,
    IsPlayed: false,
    Timestamp: new Date(timestampMs).toISOString(),
    ...fields,
  };
}

/** JSON text of a value as the host stores inputs and results ("null" for nothing, as the library expects). */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value ?? null) ?? "null";
}

export function parseJsonText(text: string | undefined): unknown {
  if (text === undefined || text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
