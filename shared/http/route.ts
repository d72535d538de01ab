// The request pipeline every HTTP route goes through: credential, parsing, handler, error mapping.
import type { HttpFunctionOptions, HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { z } from "zod";
import { AppError, describeError, isAppError } from "../errors";
import { Logger } from "../log";
import type { AuthRequirement, Principal } from "../auth/principal";
import { authenticate } from "./auth";
import { corsHeaders } from "./cors";
import { assertNotCrossSite } from "./cross-site";
import type { BodyFormat } from "./body";
import { readBody } from "./body";
import { internalError, problemResponse } from "./problem";
import type { HttpMethod } from "./route-table";
import type { RouteDoc } from "./route-doc";
import { declareRoute } from "./route-table";
import { isStorableId } from "../store/ids";
import { parseOrThrow } from "./validation";

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal | null;
  request: HttpRequest;
  context: InvocationContext;
  log: Logger;
  requestId: string;
}

/**
 * A route: what it accepts (validated here, before the handler runs) and what it answers (`summary`,
 * `responses`, `errors`), from which GET /api/openapi.json is generated (docs/api.md).
 */
export interface RouteSpec<P, Q, B> extends RouteDoc {
  methods: HttpMethod[];
  route: string;
  auth: AuthRequirement;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  bodyFormat?: BodyFormat;
  handler: (input: RouteInput<P, Q, B>) => Promise<HttpResponseInit>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Builds the options of an `app.http` registration and records the route for 404/405 answers. */
export function httpRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: RouteSpec<P, Q, B>,
): HttpFunctionOptions {
  const { handler: _handler, ...doc } = spec;
  declareRoute(doc);
  return {
    methods: spec.methods,
    route: spec.route,
    authLevel: "anonymous",
    handler: (request, context) => runPipeline(spec, request, context),
  };
}

async function runPipeline<P, Q, B>(
  spec: RouteSpec<P, Q, B>,
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const started = performance.now();
  const incomingId = request.headers.get("x-request-id");
  const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : context.invocationId;
  let log = new Logger(context, { request_id: requestId, route: spec.route, method: request.method });
  let response: HttpResponseInit;
  try {
    if (spec.refuseCrossSite) assertNotCrossSite(request);
    const principal = await authenticate(request, spec.auth);
    if (principal) log = log.with(principalFields(principal));
    refuseUnstorablePathParams(request);
    const input: RouteInput<P, Q, B> = {
      params: spec.params ? parseOrThrow(spec.params, request.params, "params") : ({} as P),
      query: spec.query ? parseOrThrow(spec.query, Object.fromEntries(request.query), "query") : ({} as Q),
      body: spec.body
        ? parseOrThrow(spec.body, await readBody(request, spec.bodyFormat ?? "json"), "body")
        : (undefined as B),
      principal,
      request,
      context,
      log,
      requestId,
    };
    response = await spec.handler(input);
    response.headers = { ...(response.headers as Record<string, string>), "x-request-id": requestId };
  } catch (error) {
    const appError = isAppError(error) ? error : internalError(error);
    if (appError.options.log) log = log.with(appError.options.log);
    if (appError.code === "internal" || appError.code === "store.org_required") {
      log.error("request failed", { error: describeError(error) });
    }
    response = problemResponse(appError, requestId);
  }
  response.headers = { ...corsHeaders(request), ...(response.headers as Record<string, string>) };
  log.info("request", {
    status: response.status ?? 200,
    duration_ms: Math.round(performance.now() - started),
  });
  return response;
}

/**
 * Path parameters name resources, and no resource has an id Cosmos would refuse (shared/store/ids.ts): such a
 * path answers 404 like any id that does not exist, after authentication so it tells an anonymous caller nothing.
 */
function refuseUnstorablePathParams(request: HttpRequest): void {
  for (const value of Object.values(request.params)) {
    if (!isStorableId(value)) throw new AppError("resource.not_found", "Not found.");
  }
}

function principalFields(principal: Principal): Record<string, string | undefined> {
  return { org_id: principal.org_id, user_id: principal.user_id, key_id: principal.key_id };
}

export const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponseInit => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

export const noContent = (headers: Record<string, string> = {}): HttpResponseInit => ({
  status: 204,
  headers,
});
