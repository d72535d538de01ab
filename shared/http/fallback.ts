// The catch-all route: unknown paths answer 404 and known paths with another method 405, as problem+json.
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { AppError } from "../errors";
import { isPreflight, preflightResponse } from "./cors";
import { problemResponse } from "./problem";
import { allowedMethods } from "./route-table";

export async function answerUnmatchedRequest(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const path = request.params.path ?? "";
  const allow = allowedMethods(path);
  // Preflights reach here: no app route accepts OPTIONS, so the catch-all answers them for every known path.
  if (allow.length > 0 && isPreflight(request)) return preflightResponse(request, allow);
  const error =
    allow.length > 0
      ? new AppError("route.method_not_allowed", `${request.method} is not allowed here.`, { allow })
      : new AppError("route.not_found", "No route matches this path.");
  return problemResponse(error, context.invocationId);
}
