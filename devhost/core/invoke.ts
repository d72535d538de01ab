// Invokes a registered function the way the Node worker does: the library's own invocation model end to end.
import { randomUUID } from "node:crypto";
import { withProvidedInputs } from "./input-providers";
import { registry } from "./registry";
import type { CoreInvocationContext, CoreLogLevel, InvocationRequest, InvocationResponse } from "./types";

export interface FunctionLogEntry {
  level: CoreLogLevel;
  category: string;
  functionName: string;
  invocationId: string;
  message: string;
}

export type FunctionLogSink = (entry: FunctionLogEntry) => void;

let logSink: FunctionLogSink = () => undefined;

export function setFunctionLogSink(sink: FunctionLogSink): void {
  logSink = sink;
}

let running = 0;

/** Invocations started and not finished yet, of every trigger (HTTP, bus, timers, Durable). */
export const invocationsRunning = (): number => running;

export interface InvocationResult {
  response: InvocationResponse;
  /** The function's return value as the handler gave it (before RPC conversion). */
  returned: unknown;
}

/**
 * getInvocationModel → getArguments → invokeFunction → getResponse, with hooks, as InvocationHandler.ts.
 * Extra input bindings the caller left empty are filled by their registered providers (input-providers.ts).
 */
export async function invokeFunction(name: string, given: InvocationRequest): Promise<InvocationResult> {
  running++;
  try {
    return await invokeRegistered(name, given);
  } finally {
    running--;
  }
}

async function invokeRegistered(name: string, given: InvocationRequest): Promise<InvocationResult> {
  const fn = registry.get(name);
  const request = withProvidedInputs(fn.metadata, given);
  const model = registry.programmingModel;
  if (!model) throw new Error("No programming model was set: did the app load @azure/functions?");
  const invocationId = randomUUID();
  const coreContext: CoreInvocationContext = {
    invocationId,
    request,
    metadata: fn.metadata,
    state: undefined,
    log: (level, category, message) =>
      logSink({ level, category, functionName: name, invocationId, message }),
  };
  const invocationModel = model.getInvocationModel(coreContext);
  const { context, inputs } = await invocationModel.getArguments();

  const hookData: Record<string, unknown> = {};
  coreContext.state = "preInvocationHooks";
  const preContext = {
    invocationContext: context,
    inputs,
    functionCallback: fn.callback,
    hookData,
    appHookData: {},
  };
  await registry.runHooks("preInvocation", preContext);
  coreContext.state = "invocation";

  let returned: unknown;
  let failure: unknown;
  try {
    returned = await invocationModel.invokeFunction(context, preContext.inputs, preContext.functionCallback);
  } catch (error) {
    failure = error;
  }
  coreContext.state = "postInvocationHooks";
  const postContext = {
    invocationContext: context,
    inputs,
    result: returned,
    error: failure,
    hookData,
    appHookData: {},
  };
  await registry.runHooks("postInvocation", postContext);
  coreContext.state = undefined;
  if (postContext.error) throw postContext.error;
  const response = await invocationModel.getResponse(context, postContext.result);
  return { response, returned: postContext.result };
}
