// Calls orchestrator and activity functions through the worker's invocation path, with the trigger data the
// Durable extension sends, and reads back what they return or throw.
import { invokeFunction } from "../core/invoke";
import type { FunctionRegistry, RegisteredFunction } from "../core/registry";
import type { RpcTypedData } from "../core/types";
import type { OrchestratorState } from "./actions";
import type { FailureDetails, HistoryEvent } from "./history";

/** What the extension puts in the orchestration trigger (DurableOrchestrationBindingInfo.js). */
export interface OrchestrationTriggerPayload {
  history: HistoryEvent[];
  input: unknown;
  instanceId: string;
  parentInstanceId?: string;
  isReplaying: boolean;
  upperSchemaVersion: number;
  upperSchemaVersionNew: number;
  maximumShortTimerDuration: string;
  longRunningTimerIntervalDuration: string;
  defaultHttpAsyncRequestSleepTimeMillseconds: number;
}

/** ReplaySchema.V4, the newest the library knows: Task.all/any come back nested (WhenAll/WhenAny actions). */
export const REPLAY_SCHEMA = 3;

/**
 * What the Durable extension's Azure Storage provider hands every orchestrator (AzureStorageDurabilityProvider:
 * MaximumDelayTime 6 days, LongRunningTimerIntervalLength 3 days; OrchestrationTriggerAttributeBindingProvider
 * sends them as .NET TimeSpans). durable-functions turns a longer `createTimer` into a LongTimerTask; the engine
 * then chains the timers as the extension does (schedule.ts), so no single timer is longer than 6 days.
 */
export const MAXIMUM_SHORT_TIMER = "6.00:00:00";
export const LONG_TIMER_INTERVAL = "3.00:00:00";
export const MAXIMUM_SHORT_TIMER_MS = 6 * 24 * 3600 * 1000;
export const LONG_TIMER_INTERVAL_MS = 3 * 24 * 3600 * 1000;

export type OrchestratorOutcome =
  | { ok: true; state: OrchestratorState }
  | { ok: false; message: string; failure: FailureDetails; state?: OrchestratorState };

const OUT_OF_PROC_LABEL = "\n\n$OutOfProcData$:";

export function functionOfType(
  registry: FunctionRegistry,
  name: string,
  triggerType: "orchestrationTrigger" | "activityTrigger",
): RegisteredFunction | undefined {
  // The exact name first, without listing every function: this runs for every episode and activity.
  const exact = registry.functions.get(name);
  if (exact?.trigger.binding.type?.toLowerCase() === triggerType.toLowerCase()) return exact;
  const candidates = registry.byTriggerType(triggerType);
  // Durable function names are case-insensitive.
  return (
    candidates.find((fn) => fn.metadata.name === name) ??
    candidates.find((fn) => fn.metadata.name.toLowerCase() === name.toLowerCase())
  );
}

export async function runOrchestrator(
  fn: RegisteredFunction,
  payload: OrchestrationTriggerPayload,
): Promise<OrchestratorOutcome> {
  try {
    const { returned } = await invokeFunction(fn.metadata.name, {
      inputData: [{ name: fn.trigger.name, data: { json: JSON.stringify(payload) } }],
      triggerMetadata: {},
    });
    return { ok: true, state: returned as OrchestratorState };
  } catch (error) {
    return orchestratorFailure(error);
  }
}

/** OrchestrationFailureError.js appends the orchestrator's state to the message; the host splits it off. */
function orchestratorFailure(error: unknown): OrchestratorOutcome {
  const failure = failureDetailsOf(error);
  const at = failure.ErrorMessage.indexOf(OUT_OF_PROC_LABEL);
  if (at < 0) return { ok: false, message: failure.ErrorMessage, failure };
  const message = failure.ErrorMessage.slice(0, at);
  let state: OrchestratorState | undefined;
  try {
    state = JSON.parse(failure.ErrorMessage.slice(at + OUT_OF_PROC_LABEL.length)) as OrchestratorState;
  } catch {
    state = undefined;
  }
  const inner = state?.failureDetails as FailureDetails | undefined;
  const errorMessage = state?.error ?? message;
  return {
    ok: false,
    message: errorMessage,
    failure: {
      ...failure,
      // The library sends only the message of the orchestrator's own error (OrchestrationFailureError is handed
      // `orchestratorReturned`, not the error), so its type and stack are lost, in Azure too. An uncaught activity
      // failure is the library's TaskFailedError, and the activity's details come along as the inner failure.
      ErrorType: inner ? "TaskFailedError" : failure.ErrorType,
      ErrorMessage: errorMessage,
      InnerFailure: inner,
    },
    state,
  };
}

export type ActivityOutcome = { ok: true; result: unknown } | { ok: false; failure: FailureDetails };

export async function runActivity(fn: RegisteredFunction, input: unknown): Promise<ActivityOutcome> {
  try {
    const { returned } = await invokeFunction(fn.metadata.name, {
      inputData: [{ name: fn.trigger.name, data: activityInputData(input) }],
      triggerMetadata: {},
    });
    return { ok: true, result: returned };
  } catch (error) {
    return { ok: false, failure: failureDetailsOf(error) };
  }
}

/** The extension passes a string input as a string and anything else as JSON; the worker parses both. */
function activityInputData(input: unknown): RpcTypedData {
  if (input === undefined || input === null) return {};
  if (typeof input === "string") return { string: JSON.stringify(input) };
  return { json: JSON.stringify(input) };
}

/**
 * Durable's failure details of a thrown value. When the app registered an exception properties provider,
 * wrapActivityHandler (app.js) has already serialized the details into the message: use those.
 */
export function failureDetailsOf(error: unknown): FailureDetails {
  const asError = error instanceof Error ? error : undefined;
  const message = asError ? asError.message : typeof error === "string" ? error : JSON.stringify(error);
  const serialized = parseSerializedDetails(message);
  if (serialized) return serialized;
  return {
    ErrorType: asError?.name ?? "Error",
    ErrorMessage: message ?? String(error),
    StackTrace: asError?.stack,
    IsNonRetriable: false,
  };
}

function parseSerializedDetails(message: string | undefined): FailureDetails | undefined {
  if (!message?.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(message) as Record<string, unknown>;
    if (typeof parsed.errorType !== "string" || typeof parsed.errorMessage !== "string") return undefined;
    return {
      ErrorType: parsed.errorType,
      ErrorMessage: parsed.errorMessage,
      StackTrace: typeof parsed.stackTrace === "string" ? parsed.stackTrace : undefined,
      IsNonRetriable: parsed.isNonRetriable === true,
      Properties: parsed.properties as Record<string, unknown> | undefined,
    };
  } catch {
    return undefined;
  }
}
