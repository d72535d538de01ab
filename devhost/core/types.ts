// The slice of the worker's `@azure/functions-core` contract that the library uses (types-core/index.d.ts).

export type RpcTypedData = {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  http?: RpcHttpData | null;
  int?: number | null;
  double?: number | null;
  /** Arrays: the host sends `string[]` and `long[]` binding data this way to a worker with TypedDataCollection. */
  collectionString?: { string?: string[] | null } | null;
  collectionSint64?: { sint64?: number[] | null } | null;
  collectionBytes?: { bytes?: Uint8Array[] | null } | null;
};

export interface RpcHttpData {
  method?: string | null;
  url?: string | null;
  headers?: Record<string, string> | null;
  body?: RpcTypedData | null;
  params?: Record<string, string> | null;
  statusCode?: string | null;
  query?: Record<string, string> | null;
  cookies?: RpcHttpCookie[] | null;
}

export interface RpcHttpCookie {
  name?: string | null;
  value?: string | null;
  domain?: { value?: string | null } | null;
  path?: { value?: string | null } | null;
  expires?: { value?: { seconds?: number | null } | null } | null;
  secure?: { value?: boolean | null } | null;
  httpOnly?: { value?: boolean | null } | null;
  sameSite?: "none" | "lax" | "strict" | "explicitNone" | null;
  maxAge?: { value?: number | null } | null;
}

export interface RpcBindingInfo {
  type?: string | null;
  direction?: "in" | "out" | "inout" | null;
  [property: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, RpcBindingInfo>;
  retryOptions?: unknown;
}

export interface RpcParameterBinding {
  name: string;
  data: RpcTypedData;
}

export interface InvocationRequest {
  inputData: RpcParameterBinding[];
  triggerMetadata: Record<string, RpcTypedData>;
  retryContext?: { retryCount: number; maxRetryCount: number };
}

export interface InvocationResponse {
  invocationId: string;
  outputData?: { name: string; data: RpcTypedData | null | undefined }[];
  returnValue?: RpcTypedData | null;
}

export type CoreLogLevel = "information" | "debug" | "error" | "trace" | "warning" | "critical" | "none";

export interface CoreInvocationContext {
  invocationId: string;
  request: InvocationRequest;
  metadata: FunctionMetadata;
  state?: "preInvocationHooks" | "postInvocationHooks" | "invocation";
  log(level: CoreLogLevel, category: "user" | "system" | "customMetric", message: string): void;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<InvocationResponse>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(context: CoreInvocationContext): InvocationModel;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

export type HookName = "appStart" | "appTerminate" | "preInvocation" | "postInvocation" | "log";
export type HookCallback = (context: Record<string, unknown>) => void | Promise<void>;
