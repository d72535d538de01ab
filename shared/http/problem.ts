// Turns an AppError code into its HTTP status and an RFC 9457 problem+json answer.
import type { HttpResponseInit } from "@azure/functions";
import { z } from "zod";
import type { AppErrorCode } from "../errors";
import { AppError } from "../errors";

const STATUS: Record<AppErrorCode, { status: number; title: string }> = {
  "request.malformed_json": { status: 400, title: "Malformed JSON" },
  "request.unsupported_media_type": { status: 415, title: "Unsupported media type" },
  "request.too_large": { status: 413, title: "Request body too large" },
  "request.invalid": { status: 422, title: "Validation failed" },
  "route.not_found": { status: 404, title: "Not found" },
  "route.method_not_allowed": { status: 405, title: "Method not allowed" },
  "resource.not_found": { status: 404, title: "Not found" },
  "resource.conflict": { status: 409, title: "Conflict" },
  "resource.gone": { status: 410, title: "Gone" },
  "precondition.required": { status: 428, title: "Precondition required" },
  "precondition.failed": { status: 412, title: "Precondition failed" },
  "auth.missing_credential": { status: 401, title: "Unauthorized" },
  "auth.invalid_token": { status: 401, title: "Unauthorized" },
  "auth.invalid_credentials": { status: 401, title: "Unauthorized" },
  "auth.forbidden": { status: 403, title: "Forbidden" },
  "auth.rate_limited": { status: 429, title: "Too many requests" },
  "agent.system_read_only": { status: 403, title: "Forbidden" },
  "iam.last_owner": { status: 409, title: "Conflict" },
  "store.unavailable": { status: 503, title: "Service unavailable" },
  "store.org_required": { status: 500, title: "Internal server error" },
  "bus.unavailable": { status: 503, title: "Service unavailable" },
  "service.busy": { status: 503, title: "Service unavailable" },
  "oauth.invalid_request": { status: 400, title: "invalid_request" },
  "oauth.invalid_client": { status: 401, title: "invalid_client" },
  "oauth.invalid_grant": { status: 400, title: "invalid_grant" },
  "oauth.unsupported_grant_type": { status: 400, title: "unsupported_grant_type" },
  internal: { status: 500, title: "Internal server error" },
};

export const statusOf = (code: AppErrorCode): number => STATUS[code].status;

/**
 * The title each problem status answers with (the API reference documents each status once). The oauth.*
 * codes are left out: they answer RFC 6749 JSON, not problem+json, and their titles would rename 400 and 401.
 */
export const PROBLEM_TITLES: ReadonlyMap<number, string> = new Map(
  Object.entries(STATUS)
    .filter(([code]) => !code.startsWith("oauth."))
    .map(([, { status, title }]) => [status, title]),
);

/** Every problem+json body the app answers (RFC 9457, plus the stable `code` and the request id). */
export const problemSchema = z
  .object({
    type: z.string().describe("urn:theonestack:problem:<code>"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe("The stable error code, e.g. resource.not_found"),
    request_id: z.string(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("Every invalid field, for 422 answers"),
  })
  .meta({ id: "Problem" });
type ProblemBody = z.infer<typeof problemSchema>;

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The OAuth endpoints answer errors as RFC 6749 §5.2 says: JSON `{error, error_description}`. */
function oauthErrorResponse(error: AppError, requestId: string): HttpResponseInit {
  const { status, title } = STATUS[error.code];
  return {
    status,
    headers: {
      "content-type": "application/json",
      "x-request-id": requestId,
      "cache-control": "no-store",
      ...error.options.headers,
    },
    body: JSON.stringify({ error: title, error_description: error.message }),
  };
}

/** The problem document for an error; 5xx answers never carry the internal message. */
export function problemResponse(error: AppError, requestId: string): HttpResponseInit {
  if (error.code.startsWith("oauth.")) return oauthErrorResponse(error, requestId);
  const { status, title } = STATUS[error.code];
  const headers: Record<string, string> = {
    "content-type": PROBLEM_CONTENT_TYPE,
    "x-request-id": requestId,
    "cache-control": "no-store",
    ...error.options.headers,
  };
  if (error.options.retryAfter !== undefined)
    headers["retry-after"] = String(Math.ceil(error.options.retryAfter));
  if (error.options.allow) headers["allow"] = error.options.allow.join(", ");
  const body: ProblemBody = {
    type: `urn:theonestack:problem:${error.code}`,
    title,
    status,
    detail: status >= 500 && status !== 503 ? "An unexpected error occurred." : error.message,
    code: error.code,
    request_id: requestId,
  };
  if (error.options.errors?.length) body.errors = error.options.errors;
  return { status, headers, body: JSON.stringify(body) };
}

/** Anything that is not an AppError becomes a bare 500 that leaks nothing. */
export const internalError = (cause: unknown): AppError =>
  new AppError("internal", "An unexpected error occurred.", { cause });
