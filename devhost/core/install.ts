// Makes `require("@azure/functions-core")` answer with the devhost, as the Node worker does (setupCoreModule.ts).
import Module from "node:module";
import { registry } from "./registry";
import type {
  CoreLogLevel,
  FunctionCallback,
  FunctionMetadata,
  HookCallback,
  HookName,
  ProgrammingModel,
} from "./types";

export type SystemLogSink = (level: CoreLogLevel, message: string) => void;

let systemLog: SystemLogSink = () => undefined;

export function setSystemLogSink(sink: SystemLogSink): void {
  systemLog = sink;
}

const coreApi = {
  hostVersion: "4.1037.0",
  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback) {
    registry.register(metadata, callback);
    return { dispose: () => registry.functions.delete(metadata.name) };
  },
  setProgrammingModel(model: ProgrammingModel) {
    registry.programmingModel = model;
  },
  getProgrammingModel() {
    return registry.programmingModel;
  },
  registerHook(name: HookName, callback: HookCallback) {
    return registry.addHook(name, callback);
  },
  log(level: CoreLogLevel, _category: string, message: string) {
    systemLog(level, message);
  },
  Disposable: class {
    constructor(private readonly callOnDispose: () => void) {}
    dispose() {
      this.callOnDispose();
    }
  },
};

let installed = false;

export function installCoreModule(): void {
  if (installed) return;
  installed = true;
  type Require = (this: NodeJS.Module, id: string) => unknown;
  const proto = Module.prototype as unknown as { require: Require };
  const originalRequire = proto.require;
  proto.require = function (this: NodeJS.Module, id: string) {
    return id === "@azure/functions-core" ? coreApi : originalRequire.call(this, id);
  };
}
