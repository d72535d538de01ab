// The one error type of the app: a stable string code that only the HTTP pipeline maps to a status.

export type AppErrorCode =
  | "request.malformed_json"
  | "request.unsupported_media_type"
  | "request.too_large"
  | "request.invalid"
  | "route.not_found"
  | "route.method_not_allowed"
  | "resource.not_found"
  | "resource.conflict"
  | "resource.gone"
  | "precondition.required"
  | "precondition.failed"
  | "auth.missing_credential"
  | "auth.invalid_token"
  | "auth.invalid_credentials"
  | "auth.forbidden"
  | "auth.rate_limited"
  | "agent.system_read_only"
  | "iam.last_owner"
  | "store.unavailable"
  | "store.org_required"
  | "bus.unavailable"
  | "service.busy"
  | "oauth.invalid_request"
  | "oauth.invalid_client"
  | "oauth.invalid_grant"
  | "oauth.unsupported_grant_type"
  | "internal";

export interface FieldIssue {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  /** Validation problems, rendered as `errors[]`. */
  errors?: FieldIssue[];
  /** Seconds, for 429 and 503 answers. */
  retryAfter?: number;
  /** Allowed methods, for 405 answers. */
  allow?: string[];
  /** Headers the transport must add (e.g. WWW-Authenticate). */
  headers?: Record<string, string>;
  /** Fields the pipeline adds to the request's log line (e.g. the key id of a refused key; never a secret). */
  log?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: AppErrorCode;
  readonly options: AppErrorOptions;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.options = options;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** What an unexpected error says in the log: its kind and message (and its cause's), never request data. */
export function describeError(error: unknown): string {
  if (error instanceof AppError && error.cause) return `${error.message} <- ${describeError(error.cause)}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
