// Input data for a function's extra input bindings (e.g. `durableClient`), whatever trigger invoked it.
//
// In Azure the host fills every input binding before it calls the worker; here the devhost part that plays a
// binding's extension registers a provider for that binding type, and `invokeFunction` asks it for the data of
// each matching input binding the caller did not supply. The HTTP front door, the bus and the timers therefore get
// extra inputs without knowing about them.
import type { FunctionMetadata, InvocationRequest, RpcBindingInfo, RpcTypedData } from "./types";

export interface InputBindingRequest {
  functionName: string;
  bindingName: string;
  binding: RpcBindingInfo;
}

/** Returns the binding's data for one invocation (undefined leaves the binding empty). */
export type InputProvider = (request: InputBindingRequest) => RpcTypedData | undefined;

const providers = new Map<string, InputProvider>();

/** Registers the provider for a binding type (case-insensitive); the returned function removes it. */
export function provideInput(bindingType: string, provider: InputProvider): () => void {
  const key = bindingType.toLowerCase();
  if (providers.has(key)) throw new Error(`An input provider for "${bindingType}" is already registered.`);
  providers.set(key, provider);
  return () => {
    if (providers.get(key) === provider) providers.delete(key);
  };
}

/** The request with data added for every non-trigger input binding that has a provider and no data yet. */
export function withProvidedInputs(
  metadata: FunctionMetadata,
  request: InvocationRequest,
): InvocationRequest {
  if (providers.size === 0) return request;
  const given = new Set(request.inputData.map((input) => input.name));
  const added: InvocationRequest["inputData"] = [];
  for (const [bindingName, binding] of Object.entries(metadata.bindings)) {
    const type = binding.type?.toLowerCase() ?? "";
    if (binding.direction !== "in" || /trigger$/.test(type) || given.has(bindingName)) continue;
    const provider = providers.get(type);
    const data = provider?.({ functionName: metadata.name, bindingName, binding });
    if (data !== undefined) added.push({ name: bindingName, data });
  }
  return added.length ? { ...request, inputData: [...request.inputData, ...added] } : request;
}
