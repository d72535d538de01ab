// The events that open and close an execution, and the one a sub-orchestration's parent receives when it ends.
import type { FailureDetails, HistoryEvent } from "./history";
import { EventType, historyEvent, toJsonText } from "./history";
import type { Instance, RuntimeStatus } from "./instance";
import { failedEvent } from "./schedule";

export function executionStarted(instance: Instance, nowMs: number): HistoryEvent {
  return historyEvent(EventType.ExecutionStarted, nowMs, {
    Name: instance.name,
    Input: instance.input,
    Version: "",
    ParentInstance: instance.parent
      ? { InstanceId: instance.parent.instanceId, TaskScheduledId: instance.parent.taskId }
      : undefined,
  });
}

export function executionCompleted(output: unknown, nowMs: number): HistoryEvent {
  return historyEvent(EventType.ExecutionCompleted, nowMs, {
    OrchestrationStatus: "Completed",
    Result: toJsonText(output),
  });
}

/** A failed orchestration's status output, in the extension's words, and its closing event. */
export function executionFailed(
  name: string,
  message: string,
  failure: FailureDetails,
  nowMs: number,
): { output: string; event: HistoryEvent } {
  const output = `Orchestrator function '${name}' failed: ${message}`;
  const event = historyEvent(EventType.ExecutionCompleted, nowMs, {
    OrchestrationStatus: "Failed",
    Result: output,
    FailureDetails: failure,
  });
  return { output, event };
}

/** What the parent's episode gets when a sub-orchestration ends; termination counts as a failure. */
export function parentNotice(
  instance: Instance,
  status: RuntimeStatus,
  closing: HistoryEvent,
  nowMs: number,
): HistoryEvent | undefined {
  const parent = instance.parent;
  if (!parent) return undefined;
  if (status === "Completed") {
    return historyEvent(EventType.SubOrchestrationInstanceCompleted, nowMs, {
      TaskScheduledId: parent.taskId,
      Result: toJsonText(instance.output),
    });
  }
  const failure: FailureDetails = closing.FailureDetails ?? {
    ErrorType: "OrchestrationTerminated",
    ErrorMessage: `Sub-orchestration '${instance.instanceId}' was terminated: ${String(instance.output)}`,
    IsNonRetriable: true,
  };
  return failedEvent(EventType.SubOrchestrationInstanceFailed, nowMs, parent.taskId, failure);
}

/** A terminate request's reason, stored as JSON text in ExecutionTerminated.Input. */
export function terminationReason(input: string | undefined): string | undefined {
  try {
    const reason = input === undefined ? undefined : (JSON.parse(input) as unknown);
    return typeof reason === "string" ? reason : undefined;
  } catch {
    return input;
  }
}
