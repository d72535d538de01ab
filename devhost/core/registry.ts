// What the app registered through `@azure/functions-core`: its functions, programming model and hooks.
import type {
  FunctionCallback,
  FunctionMetadata,
  HookCallback,
  HookName,
  ProgrammingModel,
  RpcBindingInfo,
} from "./types";

export interface RegisteredFunction {
  metadata: FunctionMetadata;
  callback: FunctionCallback;
  trigger: { name: string; binding: RpcBindingInfo };
}

export class FunctionRegistry {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<HookName, Set<HookCallback>>();
  programmingModel: ProgrammingModel | undefined;

  register(metadata: FunctionMetadata, callback: FunctionCallback): void {
    if (this.functions.has(metadata.name))
      throw new Error(`A function named "${metadata.name}" is already registered.`);
    const trigger = Object.entries(metadata.bindings).find(([, binding]) =>
      /trigger$/i.test(binding.type ?? ""),
    );
    if (!trigger) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
    this.functions.set(metadata.name, {
      metadata,
      callback,
      trigger: { name: trigger[0], binding: trigger[1] },
    });
  }

  /** The registered functions whose trigger has this type (e.g. "httpTrigger"). */
  byTriggerType(type: string): RegisteredFunction[] {
    return [...this.functions.values()].filter(
      (fn) => fn.trigger.binding.type?.toLowerCase() === type.toLowerCase(),
    );
  }

  get(name: string): RegisteredFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`No function named "${name}" is registered.`);
    return fn;
  }

  addHook(name: HookName, callback: HookCallback): { dispose(): void } {
    const set = this.hooks.get(name) ?? new Set<HookCallback>();
    this.hooks.set(name, set);
    set.add(callback);
    return { dispose: () => set.delete(callback) };
  }

  async runHooks(name: HookName, context: Record<string, unknown>): Promise<void> {
    for (const callback of this.hooks.get(name) ?? []) await callback(context);
  }
}

/** One registry per process, as there is one worker per process in Azure. */
export const registry = new FunctionRegistry();
