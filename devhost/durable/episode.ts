// One orchestrator episode: replay the history plus one new event through the library, then act on its answer.
import type { OrchestratorState } from "./actions";
import { UnsupportedActionError, actionInputValue, continueAsNewAction, numberedLeaves } from "./actions";
import type { FailureDetails, HistoryEvent } from "./history";
import { EventType, historyEvent, parseJsonText } from "./history";
import type { Instance } from "./instance";
import type { OrchestrationTriggerPayload } from "./invoke";
import {
  LONG_TIMER_INTERVAL,
  MAXIMUM_SHORT_TIMER,
  REPLAY_SCHEMA,
  functionOfType,
  runOrchestrator,
} from "./invoke";
import type { EngineCore } from "./schedule";
import {
  cancelTimer,
  continueLongTimer,
  continueRetry,
  isFinalFire,
  notFoundFailure,
  scheduleLeaf,
} from "./schedule";

/** How an episode ends the execution, when it does. */
export interface EpisodeCore extends EngineCore {
  complete(instance: Instance, output: unknown): void;
  fail(instance: Instance, message: string, failure: FailureDetails): void;
  continueAsNew(instance: Instance, input: unknown): void;
}

/**
 * Events are given to the orchestrator one per episode. The library numbers a retry's timer or next attempt
 * while it replays the event that causes it, and numbers newly yielded tasks after that; one event per episode
 * keeps the two from interleaving, so the engine can number exactly as the library does.
 */
export async function runEpisode(core: EpisodeCore, instance: Instance, event: HistoryEvent): Promise<void> {
  const fn = functionOfType(core.registry, instance.name, "orchestrationTrigger");
  if (!fn) {
    const failure = notFoundFailure(instance.name, "orchestrator");
    return core.fail(instance, failure.ErrorMessage, failure);
  }
  // Everything already in the history has been played to the orchestrator at least once.
  for (const past of instance.history) past.IsPlayed = true;
  const startedMs = core.now();
  const newEvents = [historyEvent(EventType.OrchestratorStarted, startedMs), event];
  if (event.EventType === EventType.ExecutionStarted) instance.status = "Running";
  const payload: OrchestrationTriggerPayload = {
    history: [...instance.history, ...newEvents],
    input: parseJsonText(instance.input),
    instanceId: instance.instanceId,
    parentInstanceId: instance.parent?.instanceId,
    isReplaying: instance.history.length > 0,
    upperSchemaVersion: REPLAY_SCHEMA,
    upperSchemaVersionNew: REPLAY_SCHEMA,
    maximumShortTimerDuration: MAXIMUM_SHORT_TIMER,
    longRunningTimerIntervalDuration: LONG_TIMER_INTERVAL,
    defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
  };
  instance.episodes++;
  const outcome = await runOrchestrator(fn, payload);
  instance.history.push(...newEvents);
  instance.lastUpdatedMs = core.now();
  if (!outcome.ok) {
    if (outcome.state?.customStatus !== undefined) instance.customStatus = outcome.state.customStatus;
    return core.fail(instance, outcome.message, outcome.failure);
  }
  const state = outcome.state;
  if (state.customStatus !== undefined) instance.customStatus = state.customStatus;
  const problem = applyActions(core, instance, event, state);
  if (problem) return core.fail(instance, problem.ErrorMessage, problem);

  const continued = continueAsNewAction(state);
  if (state.isDone && continued) return core.continueAsNew(instance, actionInputValue(continued));
  // Durable keeps an instance running until its outstanding timers fire or are cancelled.
  const waiting = instance.leaves.some((leaf) => leaf.kind === "timer" && !leaf.fired && !leaf.canceled);
  if (state.isDone && !waiting) core.complete(instance, state.output);
  else instance.awaitingTimers = state.isDone;
  instance.history.push(historyEvent(EventType.OrchestratorCompleted, core.now()));
}

/** Checks replay against what was scheduled, then schedules what is new; returns a failure to end with. */
function applyActions(
  core: EpisodeCore,
  instance: Instance,
  event: HistoryEvent,
  state: OrchestratorState,
): FailureDetails | undefined {
  let leaves;
  try {
    leaves = numberedLeaves(state);
  } catch (error) {
    if (!(error instanceof UnsupportedActionError)) throw error;
    return { ErrorType: "NotSupportedException", ErrorMessage: error.message, IsNonRetriable: true };
  }
  for (const [index, known] of instance.leaves.entries()) {
    const replayed = leaves[index];
    if (!replayed || replayed.signature !== known.signature) {
      const message =
        `Non-Deterministic workflow detected: task ${known.firstTaskId} was scheduled as ${known.signature}` +
        ` but the orchestrator now yields ${replayed?.signature ?? "nothing"} there.`;
      return {
        ErrorType: "NonDeterministicOrchestrationException",
        ErrorMessage: message,
        IsNonRetriable: true,
      };
    }
    if (known.kind === "timer" && replayed.action.isCanceled && !known.canceled) {
      known.canceled = true;
      cancelTimer(instance, known.currentTimerId ?? known.firstTaskId);
    }
  }
  markFiredTimer(instance, event, core.now());
  continueLongTimer(core, instance, event);
  if (!state.isDone) continueRetry(core, instance, event);
  for (const leaf of leaves.slice(instance.leaves.length)) scheduleLeaf(core, instance, leaf);
  return undefined;
}

function markFiredTimer(instance: Instance, event: HistoryEvent, nowMs: number): void {
  if (event.EventType !== EventType.TimerFired || event.TimerId === undefined) return;
  const task = instance.tasks.get(event.TimerId);
  if (task?.role === "timer" && isFinalFire(instance, event, nowMs)) instance.leaves[task.leaf]!.fired = true;
}
