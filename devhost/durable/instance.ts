// One orchestration instance as the engine keeps it: its history, inbox, and the work it has in flight.
import type { Leaf, WireRetryOptions } from "./actions";
import type { FailureDetails, HistoryEvent } from "./history";

/** OrchestrationRuntimeStatus.js */
export type RuntimeStatus =
  "Pending" | "Running" | "Completed" | "ContinuedAsNew" | "Failed" | "Terminated" | "Suspended";

export const TERMINAL_STATUSES: ReadonlySet<RuntimeStatus> = new Set(["Completed", "Failed", "Terminated"]);

/** A numbered action of the current execution, with what the engine did about it. */
export interface ScheduledLeaf extends Leaf {
  /** The sequence number of the first attempt (or of the timer). */
  firstTaskId: number;
  retry?: WireRetryOptions;
  attempts: number;
  firstAttemptAtMs: number;
  lastFailure?: FailureDetails;
  /** Past RetryOptions.retryTimeout: further attempts fail with the last failure without running. */
  retryExpired?: boolean;
  /** Timers: fired, or cancelled by the orchestrator (Task.any losers it let go of). */
  fired: boolean;
  canceled: boolean;
  /** A timer longer than the provider's maximum: when it really fires; the armed interval timer is `currentTimerId`. */
  finalFireAtMs?: number;
  currentTimerId?: number;
}

/** Sequence number → the leaf it belongs to and what it is (a call, a timer, or a retry's wait). */
export interface OpenTask {
  leaf: number;
  role: "call" | "timer" | "retryTimer";
}

export interface ParentLink {
  instanceId: string;
  executionId: string;
  taskId: number;
}

/** Something for the next orchestrator episode; `executionId` drops results of an earlier execution. */
export interface InboxMessage {
  event: HistoryEvent;
  executionId?: string;
}

export interface Instance {
  instanceId: string;
  name: string;
  executionId: string;
  status: RuntimeStatus;
  /** JSON text, as ExecutionStarted.Input. */
  input: string | undefined;
  output: unknown;
  customStatus: unknown;
  createdMs: number;
  lastUpdatedMs: number;
  parent?: ParentLink;
  /** Events already given to the orchestrator (replayed on every episode). */
  history: HistoryEvent[];
  inbox: InboxMessage[];
  leaves: ScheduledLeaf[];
  tasks: Map<number, OpenTask>;
  nextTaskId: number;
  /** Cancels each pending durable timer by sequence number. */
  timers: Map<number, () => void>;
  /** Orchestrator invocations so far (all executions). */
  episodes: number;
  /** The orchestrator returned but an uncancelled timer is still pending. */
  awaitingTimers: boolean;
}

export function newInstance(fields: {
  instanceId: string;
  name: string;
  executionId: string;
  input: string | undefined;
  nowMs: number;
  parent?: ParentLink;
}): Instance {
  return {
    instanceId: fields.instanceId,
    name: fields.name,
    executionId: fields.executionId,
    status: "Pending",
    input: fields.input,
    output: null,
    customStatus: null,
    createdMs: fields.nowMs,
    lastUpdatedMs: fields.nowMs,
    parent: fields.parent,
    history: [],
    inbox: [],
    leaves: [],
    tasks: new Map(),
    nextTaskId: 0,
    timers: new Map(),
    episodes: 0,
    awaitingTimers: false,
  };
}

/** Forgets the current execution's work (continue-as-new, completion, termination). */
export function resetExecution(instance: Instance): void {
  for (const cancel of instance.timers.values()) cancel();
  instance.timers.clear();
  instance.leaves = [];
  instance.tasks.clear();
  instance.nextTaskId = 0;
  instance.awaitingTimers = false;
}
