// Carries out the numbered actions of an episode: activities, sub-orchestrations, timers, and retries.
import type { FunctionRegistry } from "../core/registry";
import type { Leaf } from "./actions";
import { ActionType, actionInputValue } from "./actions";
import type { FailureDetails, HistoryEvent } from "./history";
import { EventType, historyEvent, toJsonText } from "./history";
import type { Instance, ParentLink, ScheduledLeaf } from "./instance";
import { functionOfType, LONG_TIMER_INTERVAL_MS, MAXIMUM_SHORT_TIMER_MS, runActivity } from "./invoke";
import { retryDelayMs } from "./retry";
import type { TimerQueue } from "./timers";

export type StartResult =
  { ok: true; instanceId: string } | { ok: false; code: "not_found" | "conflict"; message: string };

/** What scheduling needs from the engine. */
export interface EngineCore {
  readonly registry: FunctionRegistry;
  readonly timers: TimerQueue;
  /** How often each activity runs: 1, or 2 to play Azure's at-least-once delivery (the last result is kept). */
  readonly activityRuns: number;
  now(): number;
  /** Hands an event to the instance's next episode, unless the instance moved on to another execution. */
  deliverTo(instanceId: string, executionId: string, event: HistoryEvent): void;
  /** Counts work in flight, for idle(). */
  track(work: Promise<unknown>): void;
  startOrchestration(
    name: string,
    options: { instanceId?: string; input?: string; parent?: ParentLink },
  ): StartResult;
}

export function notFoundFailure(name: string, kind: "activity" | "orchestrator"): FailureDetails {
  return {
    ErrorType: "FunctionNotFound",
    ErrorMessage: `The function '${name}' doesn't exist, is disabled, or is not an ${kind} function.`,
    IsNonRetriable: true,
  };
}

export function failedEvent(
  type: number,
  nowMs: number,
  taskId: number,
  failure: FailureDetails,
): HistoryEvent {
  return historyEvent(type, nowMs, {
    TaskScheduledId: taskId,
    Reason: failure.ErrorMessage,
    Details: failure.StackTrace,
    FailureDetails: failure,
  });
}

/** Records a new numbered action and starts its work; the sequence number is the instance's next one. */
export function scheduleLeaf(core: EngineCore, instance: Instance, leaf: Leaf): void {
  const taskId = instance.nextTaskId++;
  const withRetry =
    leaf.action.actionType === ActionType.CallActivityWithRetry ||
    leaf.action.actionType === ActionType.CallSubOrchestratorWithRetry;
  const scheduled: ScheduledLeaf = {
    ...leaf,
    firstTaskId: taskId,
    retry: withRetry ? leaf.action.retryOptions : undefined,
    attempts: 0,
    firstAttemptAtMs: core.now(),
    fired: false,
    canceled: leaf.action.isCanceled === true,
  };
  const index = instance.leaves.push(scheduled) - 1;
  if (leaf.kind !== "timer") return startAttempt(core, instance, index, taskId);
  const fireAtMs = new Date(leaf.action.fireAt ?? core.now()).getTime();
  // DurableOrchestrationContext.CreateTimer: past MaximumDelayTime the extension waits in intervals instead.
  if (fireAtMs - core.now() > MAXIMUM_SHORT_TIMER_MS) scheduled.finalFireAtMs = fireAtMs;
  createTimer(
    core,
    instance,
    index,
    taskId,
    scheduled.finalFireAtMs ? core.now() + LONG_TIMER_INTERVAL_MS : fireAtMs,
  );
}

/** One TimerCreated in the history, armed unless the orchestrator already let go of it (Task.any). */
function createTimer(
  core: EngineCore,
  instance: Instance,
  leafIndex: number,
  taskId: number,
  fireAtMs: number,
): void {
  const leaf = instance.leaves[leafIndex]!;
  if (fireAtMs - core.now() > MAXIMUM_SHORT_TIMER_MS)
    throw new Error(`A durable timer of more than 6 days would be refused by the Azure Storage provider.`);
  instance.tasks.set(taskId, { leaf: leafIndex, role: "timer" });
  leaf.currentTimerId = taskId;
  instance.history.push(
    historyEvent(EventType.TimerCreated, core.now(), {
      EventId: taskId,
      FireAt: new Date(fireAtMs).toISOString(),
    }),
  );
  if (!leaf.canceled) armTimer(core, instance, taskId, fireAtMs);
}

/**
 * A long timer's interval fired: the next interval, numbered next, as the extension's CreateTimer loop does (the
 * remaining time when under LongRunningTimerIntervalLength, else another interval). durable-functions' LongTimerTask
 * adds a child timer for it when it replays the TimerFired. Called before the episode's new actions are numbered.
 */
export function continueLongTimer(core: EngineCore, instance: Instance, event: HistoryEvent): void {
  if (event.EventType !== EventType.TimerFired || event.TimerId === undefined) return;
  const task = instance.tasks.get(event.TimerId);
  const leaf = task?.role === "timer" ? instance.leaves[task.leaf] : undefined;
  if (!task || !leaf?.finalFireAtMs || leaf.canceled) return;
  const now = core.now();
  const remaining = leaf.finalFireAtMs - now;
  if (remaining <= 0) return;
  const next = remaining < LONG_TIMER_INTERVAL_MS ? now + remaining : now + LONG_TIMER_INTERVAL_MS;
  createTimer(core, instance, task.leaf, instance.nextTaskId++, next);
}

/** True when this TimerFired ends the leaf's wait (a long timer's last interval, or any ordinary timer). */
export function isFinalFire(instance: Instance, event: HistoryEvent, nowMs: number): boolean {
  const task = event.TimerId === undefined ? undefined : instance.tasks.get(event.TimerId);
  const leaf = task ? instance.leaves[task.leaf] : undefined;
  return leaf?.finalFireAtMs === undefined || nowMs >= leaf.finalFireAtMs;
}

export function armTimer(core: EngineCore, instance: Instance, taskId: number, fireAtMs: number): void {
  const { instanceId, executionId } = instance;
  const cancel = core.timers.schedule(fireAtMs, () => {
    instance.timers.delete(taskId);
    const fired = historyEvent(EventType.TimerFired, core.now(), {
      TimerId: taskId,
      FireAt: new Date(fireAtMs).toISOString(),
    });
    // Tracked, so idle() (which waits while a timer is due) hears of it even when the instance moved on.
    core.track(Promise.resolve().then(() => core.deliverTo(instanceId, executionId, fired)));
  });
  instance.timers.set(taskId, cancel);
}

export function cancelTimer(instance: Instance, taskId: number): void {
  instance.timers.get(taskId)?.();
  instance.timers.delete(taskId);
}

/** One attempt of an activity or sub-orchestration call, numbered `taskId`. */
function startAttempt(core: EngineCore, instance: Instance, leafIndex: number, taskId: number): void {
  const leaf = instance.leaves[leafIndex]!;
  const name = leaf.action.functionName ?? "";
  const { instanceId, executionId } = instance;
  leaf.attempts++;
  instance.tasks.set(taskId, { leaf: leafIndex, role: "call" });
  const isActivity = leaf.kind === "activity";
  const input = actionInputValue(leaf.action);
  const failType = isActivity ? EventType.TaskFailed : EventType.SubOrchestrationInstanceFailed;
  const fail = (failure: FailureDetails) =>
    core.deliverTo(instanceId, executionId, failedEvent(failType, core.now(), taskId, failure));

  if (isActivity) {
    instance.history.push(
      historyEvent(EventType.TaskScheduled, core.now(), {
        EventId: taskId,
        Name: name,
        Input: toJsonText(input),
      }),
    );
  } else {
    const childId = leaf.action.instanceId || `${instanceId}:${taskId}`;
    instance.history.push(
      historyEvent(EventType.SubOrchestrationInstanceCreated, core.now(), {
        EventId: taskId,
        Name: name,
        InstanceId: childId,
        Input: toJsonText(input),
      }),
    );
    if (leaf.retryExpired && leaf.lastFailure) return queueMicrotask(() => fail(leaf.lastFailure!));
    const started = core.startOrchestration(name, {
      instanceId: childId,
      input: input === undefined ? undefined : toJsonText(input),
      parent: { instanceId, executionId, taskId },
    });
    if (!started.ok)
      queueMicrotask(() =>
        fail({ ErrorType: "SubOrchestrationFailed", ErrorMessage: started.message, IsNonRetriable: true }),
      );
    return;
  }

  // Past its retry timeout the framework rethrows the last failure instead of calling again.
  if (leaf.retryExpired && leaf.lastFailure) return queueMicrotask(() => fail(leaf.lastFailure!));
  const fn = functionOfType(core.registry, name, "activityTrigger");
  const work = (async () => {
    let outcome: Awaited<ReturnType<typeof runActivity>> = {
      ok: false as const,
      failure: notFoundFailure(name, "activity"),
    };
    // In Azure a worker may finish an activity and lose the result (a crash, a lost lease): the activity then
    // runs again and only that run's result reaches the orchestrator. At-least-once mode does that every time.
    if (fn) for (let run = 0; run < core.activityRuns; run++) outcome = await runActivity(fn, input);
    if (outcome.ok) {
      const result = toJsonText(outcome.result);
      core.deliverTo(
        instanceId,
        executionId,
        historyEvent(EventType.TaskCompleted, core.now(), { TaskScheduledId: taskId, Result: result }),
      );
    } else {
      leaf.lastFailure = outcome.failure;
      fail(outcome.failure);
    }
  })();
  core.track(work);
}

/**
 * Retries, as the library replays them (RetryableTask.trySetValue): after every failed attempt, the last one
 * included, it waits on a timer numbered next; when that timer fires and attempts remain, the next attempt is
 * numbered next. Called for the event an episode just delivered, before new actions are numbered.
 */
export function continueRetry(core: EngineCore, instance: Instance, event: HistoryEvent): void {
  const failed =
    event.EventType === EventType.TaskFailed || event.EventType === EventType.SubOrchestrationInstanceFailed;
  const fired = event.EventType === EventType.TimerFired;
  const taskId = failed ? event.TaskScheduledId : fired ? event.TimerId : undefined;
  const task = taskId === undefined ? undefined : instance.tasks.get(taskId);
  const leaf = task ? instance.leaves[task.leaf] : undefined;
  if (!task || !leaf?.retry) return;
  if (failed && task.role === "call") {
    if (event.FailureDetails) leaf.lastFailure = event.FailureDetails;
    const now = core.now();
    const delay = retryDelayMs(leaf.retry, leaf.attempts, leaf.firstAttemptAtMs, now);
    if (delay === undefined) leaf.retryExpired = true;
    const timerId = instance.nextTaskId++;
    instance.tasks.set(timerId, { leaf: task.leaf, role: "retryTimer" });
    const fireAtMs = now + (delay ?? 0);
    instance.history.push(
      historyEvent(EventType.TimerCreated, now, {
        EventId: timerId,
        FireAt: new Date(fireAtMs).toISOString(),
      }),
    );
    armTimer(core, instance, timerId, fireAtMs);
  } else if (fired && task.role === "retryTimer" && leaf.attempts < leaf.retry.maxNumberOfAttempts) {
    startAttempt(core, instance, task.leaf, instance.nextTaskId++);
  }
}
