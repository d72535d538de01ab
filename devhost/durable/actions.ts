// The actions an orchestrator returns (node_modules/durable-functions/lib/src/actions/*) and the order in which
// the library gives them sequence numbers.

/** ActionType.js */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

/** RetryOptions.js, as the orchestrator sends it. */
export interface WireRetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export interface WireAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  retryOptions?: WireRetryOptions;
  instanceId?: string;
  fireAt?: Date | string;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: WireAction[];
}

/** OrchestratorState.js: what one orchestrator invocation returns. */
export interface OrchestratorState {
  isDone: boolean;
  actions: WireAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion?: number;
  failureDetails?: unknown;
}

export type LeafKind = "activity" | "subOrchestration" | "timer";

/** An action that takes a sequence number (the library's `task.id`). */
export interface Leaf {
  kind: LeafKind;
  action: WireAction;
  /** What must stay the same on every replay (non-determinism check). */
  signature: string;
}

const unsupported: Record<number, string> = {
  [ActionType.CallEntity]: "Durable entities",
  [ActionType.SignalEntity]: "Durable entities",
  [ActionType.LockEntities]: "Durable entities (critical sections)",
  [ActionType.ReleaseEntities]: "Durable entities (critical sections)",
  [ActionType.CallHttp]: "Durable HTTP (callHttp)",
};

export class UnsupportedActionError extends Error {}

function leafOf(action: WireAction): Leaf | undefined {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return { kind: "activity", action, signature: `activity:${action.functionName}` };
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return { kind: "subOrchestration", action, signature: `orchestrator:${action.functionName}` };
    case ActionType.CreateTimer:
      return { kind: "timer", action, signature: "timer" };
    case ActionType.WaitForExternalEvent:
    case ActionType.ContinueAsNew:
      // Events are matched by name and continue-as-new by position: neither takes a sequence number.
      return undefined;
    default: {
      const feature = unsupported[action.actionType];
      throw new UnsupportedActionError(
        feature
          ? `${feature} are not emulated by the devhost (see the README, "Devhost: Durable").`
          : `Unknown orchestrator action type ${action.actionType}.`,
      );
    }
  }
}

/**
 * The actions that take sequence numbers, in the order the library numbers them: the order they were yielded,
 * depth-first through Task.all/Task.any (TaskOrchestrationExecutor.trackOpenTask). An action object met twice (a
 * task yielded again inside a later Task.any/all) was numbered the first time only.
 */
export function numberedLeaves(state: OrchestratorState): Leaf[] {
  const seen = new Set<WireAction>();
  const leaves: Leaf[] = [];
  const visit = (action: WireAction) => {
    if (seen.has(action)) return;
    seen.add(action);
    if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) {
      for (const child of action.compoundActions ?? []) visit(child);
      return;
    }
    const leaf = leafOf(action);
    if (leaf) leaves.push(leaf);
  };
  for (const group of state.actions) for (const action of group) visit(action);
  return leaves;
}

export function continueAsNewAction(state: OrchestratorState): WireAction | undefined {
  return state.actions.flat().find((action) => action.actionType === ActionType.ContinueAsNew);
}

/**
 * The value of an action's input. The library JSON-encodes string inputs of activities and continue-as-new
 * (Utils.processInput) so that the worker's JSON parsing gives the string back; decode them the same way.
 */
export function actionInputValue(action: WireAction): unknown {
  const encodesStrings =
    action.actionType === ActionType.CallActivity ||
    action.actionType === ActionType.CallActivityWithRetry ||
    action.actionType === ActionType.ContinueAsNew;
  if (encodesStrings && typeof action.input === "string") {
    try {
      return JSON.parse(action.input) as unknown;
    } catch {
      return action.input;
    }
  }
  return action.input;
}
