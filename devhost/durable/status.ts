// How an instance looks from outside: the HTTP API's status (with `historyEvents`) and the devhost's snapshot.
import type { FailureDetails, HistoryEvent } from "./history";
import { EventType, eventTypeName, parseJsonText } from "./history";
import type { Instance, RuntimeStatus } from "./instance";

export interface StatusOptions {
  showHistory?: boolean;
  showHistoryOutput?: boolean;
  showInput?: boolean;
}

/** The HTTP API's instance status. `input` and `output` are always present (null when empty), as the client needs. */
export function statusOf(instance: Instance, options: StatusOptions = {}): Record<string, unknown> {
  const status: Record<string, unknown> = {
    name: instance.name,
    instanceId: instance.instanceId,
    runtimeStatus: instance.status,
    input: options.showInput === false ? null : parseJsonText(instance.input),
    customStatus: instance.customStatus ?? null,
    output: instance.output ?? null,
    createdTime: new Date(instance.createdMs).toISOString(),
    lastUpdatedTime: new Date(instance.lastUpdatedMs).toISOString(),
  };
  if (options.showHistory)
    status.historyEvents = historyEventsOf(instance.history, options.showHistoryOutput === true);
  return status;
}

/**
 * The extension's readable history (showHistory=true): orchestrator bookkeeping dropped, each completion merged
 * with the event that scheduled it (FunctionName, ScheduledTime), event types by name, results only on request.
 */
export function historyEventsOf(history: HistoryEvent[], showOutput: boolean): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  const readable: Record<string, unknown>[] = [];
  for (const event of history) {
    switch (event.EventType) {
      case EventType.OrchestratorStarted:
      case EventType.OrchestratorCompleted:
        continue;
      case EventType.TaskScheduled:
      case EventType.SubOrchestrationInstanceCreated:
        scheduled.set(event.EventId, event);
        continue;
    }
    const entry: Record<string, unknown> = {
      EventType: eventTypeName(event.EventType),
      Timestamp: event.Timestamp,
    };
    const origin = event.TaskScheduledId === undefined ? undefined : scheduled.get(event.TaskScheduledId);
    if (origin) {
      entry.FunctionName = origin.Name;
      entry.ScheduledTime = origin.Timestamp;
      if (origin.InstanceId) entry.InstanceId = origin.InstanceId;
    }
    if (event.EventType === EventType.ExecutionStarted) entry.FunctionName = event.Name;
    if (event.EventType === EventType.EventRaised) entry.Name = event.Name;
    if (event.OrchestrationStatus) entry.OrchestrationStatus = event.OrchestrationStatus;
    if (event.TimerId !== undefined) entry.TimerId = event.TimerId;
    if (event.FireAt) entry.FireAt = event.FireAt;
    if (event.Reason !== undefined) entry.Reason = event.Reason;
    if (event.Details !== undefined) entry.Details = event.Details;
    if (event.FailureDetails) entry.FailureDetails = event.FailureDetails;
    if (showOutput && event.Result !== undefined) entry.Result = parseJsonText(event.Result);
    if (showOutput && event.Input !== undefined) entry.Input = parseJsonText(event.Input);
    readable.push(entry);
  }
  return readable;
}

/** What tests and GET /dev/executions/{id} see: the status plus the engine's view of work in flight. */
export interface InstanceSnapshot {
  instanceId: string;
  name: string;
  runtimeStatus: RuntimeStatus;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  parentInstanceId?: string;
  /** Orchestrator invocations so far (replays included). */
  episodes: number;
  pendingTimers: { timerId: number; fireAt?: string }[];
  /** Events raised but not yet given to the orchestrator, and results not yet replayed. */
  queued: { eventType: string; name?: string }[];
  failureDetails?: FailureDetails;
  /** The raw history, in the library's shapes, with each event type's name alongside its number. */
  history: (HistoryEvent & { EventTypeName: string })[];
}

export function snapshotOf(instance: Instance): InstanceSnapshot {
  const fireAt = new Map(
    instance.history
      .filter((event) => event.EventType === EventType.TimerCreated)
      .map((event) => [event.EventId, event.FireAt]),
  );
  const completion = instance.history.find((event) => event.EventType === EventType.ExecutionCompleted);
  return {
    instanceId: instance.instanceId,
    name: instance.name,
    runtimeStatus: instance.status,
    input: parseJsonText(instance.input),
    output: instance.output ?? null,
    customStatus: instance.customStatus ?? null,
    createdTime: new Date(instance.createdMs).toISOString(),
    lastUpdatedTime: new Date(instance.lastUpdatedMs).toISOString(),
    parentInstanceId: instance.parent?.instanceId,
    episodes: instance.episodes,
    pendingTimers: [...instance.timers.keys()].map((timerId) => ({ timerId, fireAt: fireAt.get(timerId) })),
    queued: instance.inbox.map(({ event }) => ({
      eventType: eventTypeName(event.EventType),
      name: event.Name,
    })),
    failureDetails: completion?.FailureDetails,
    history: instance.history.map((event) => ({ ...event, EventTypeName: eventTypeName(event.EventType) })),
  };
}
