// The devhost's front door: routes requests to HTTP-triggered functions by their route templates and methods.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { invokeFunction } from "../core/invoke";
import type { RpcHttpData } from "../core/types";
import { dispatch } from "./host-routes";
import type { HostRoute } from "./host-routes";
import { sendProblem } from "./problem";
import {
  BodyTooLargeError,
  readRequestBody,
  rpcResponseParts,
  toRpcHttpRequest,
  writeRpcHttpResponse,
} from "./rpc-http";

/** A devhost-only endpoint (under HOST_PATHS); returns false when it does not handle the request. */
export type DevRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/** Paths the host answers itself, never the app: the dev endpoints and the extensions' webhooks (as in Azure). */
const HOST_PATHS = ["/dev/", "/runtime/webhooks/"];

/** One answer of an app function, as the client received it (for the test-only observer). */
export interface ObservedResponse {
  functionName: string;
  method: string;
  /** The request path, e.g. `/api/agents/123`. */
  path: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface FrontDoorOptions {
  /** The app's HTTP routes in host order (available once the app has loaded). */
  routes: () => HostRoute[];
  devRoutes: DevRoute[];
  /** False while the app is still loading: requests then get a 503. */
  isReady: () => boolean;
  onUnexpectedError: (error: unknown) => void;
  /** Test-only: sees every answer of an app function (tests check each against the OpenAPI document). */
  observeResponse?: (response: ObservedResponse) => void;
}

function observed(
  functionName: string,
  method: string,
  path: string,
  http: RpcHttpData | undefined,
): ObservedResponse {
  const parts = rpcResponseParts(http);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parts.headers))
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  return { functionName, method, path, status: parts.status, headers, body: parts.body };
}

export function createFrontDoor(options: FrontDoorOptions): Server {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!options.isReady())
      return sendProblem(res, 503, "Starting", "The devhost is still loading the app.", {
        "retry-after": "1",
      });
    const host = req.headers.host ?? "localhost";
    const url = new URL(req.url ?? "/", `http://${host}`);
    if (HOST_PATHS.some((path) => url.pathname.startsWith(path))) {
      for (const devRoute of options.devRoutes) if (await devRoute(req, res, url)) return;
      return sendProblem(res, 404, "Not found", "No devhost endpoint matches this path.");
    }
    const method = (req.method ?? "GET").toUpperCase();
    const reached = dispatch(options.routes(), method, url.pathname);
    // The host answers a path no function route takes with a bare 404 (never 405: the method is a route constraint).
    if (!reached)
      return sendProblem(res, 404, "Not found", "No function route matches this method and path.");
    const body = await readRequestBody(req);
    const rpcRequest = toRpcHttpRequest(req, url, reached.params, body);
    const { response } = await invokeFunction(reached.route.functionName, {
      inputData: [{ name: reached.route.triggerName, data: { http: rpcRequest } }],
      triggerMetadata: {},
    });
    const http =
      response.returnValue?.http ??
      (response.outputData?.find((output) => output.data?.http)?.data?.http as RpcHttpData | undefined);
    writeRpcHttpResponse(res, http);
    options.observeResponse?.(observed(reached.route.functionName, method, url.pathname, http));
  }

  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError)
        return sendProblem(res, 413, "Request body too large", "The body is too large.");
      options.onUnexpectedError(error);
      if (!res.headersSent) sendProblem(res, 500, "Internal server error", "The function host failed.");
      else res.destroy();
    });
  });
}
