// The devhost's front door: routes requests to HTTP-triggered functions by their route templates and methods.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { compileRouteTemplate } from "../../shared/http/route-template";
import type { RouteTemplate } from "../../shared/http/route-template";
import { invokeFunction } from "../core/invoke";
import type { FunctionRegistry } from "../core/registry";
import type { RpcHttpData } from "../core/types";
import { sendProblem } from "./problem";
import { BodyTooLargeError, readRequestBody, toRpcHttpRequest, writeRpcHttpResponse } from "./rpc-http";

/** A devhost-only endpoint (under HOST_PATHS); returns false when it does not handle the request. */
export type DevRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/** Paths the host answers itself, never the app: the dev endpoints and the extensions' webhooks (as in Azure). */
const HOST_PATHS = ["/dev/", "/runtime/webhooks/"];

interface HttpFunctionRoute {
  functionName: string;
  triggerName: string;
  template: RouteTemplate;
  methods: Set<string>;
}

function httpRoutes(registry: FunctionRegistry): HttpFunctionRoute[] {
  return registry
    .byTriggerType("httpTrigger")
    .map((fn) => {
      const binding = fn.trigger.binding as { route?: string; methods?: string[] };
      return {
        functionName: fn.metadata.name,
        triggerName: fn.trigger.name,
        template: compileRouteTemplate(binding.route ?? fn.metadata.name),
        methods: new Set((binding.methods ?? ["GET", "POST"]).map((m) => m.toUpperCase())),
      };
    })
    .sort((a, b) => b.template.precedence - a.template.precedence);
}

export interface FrontDoorOptions {
  registry: FunctionRegistry;
  routePrefix: string;
  devRoutes: DevRoute[];
  /** False while the app is still loading: requests then get a 503. */
  isReady: () => boolean;
  onUnexpectedError: (error: unknown) => void;
}

export function createFrontDoor(options: FrontDoorOptions): Server {
  let routes: HttpFunctionRoute[] | undefined;
  const prefix = `/${options.routePrefix}/`.replace(/\/+/g, "/");

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
    if (!url.pathname.startsWith(prefix) && url.pathname !== prefix.slice(0, -1)) {
      return sendProblem(res, 404, "Not found", `App routes live under ${prefix}.`);
    }
    const path = url.pathname.slice(prefix.length);
    routes ??= httpRoutes(options.registry);
    const method = (req.method ?? "GET").toUpperCase();
    const allowed = new Set<string>();
    for (const route of routes) {
      const params = route.template.match(path);
      if (!params) continue;
      if (!route.methods.has(method)) {
        route.methods.forEach((m) => allowed.add(m));
        continue;
      }
      const body = await readRequestBody(req);
      const rpcRequest = toRpcHttpRequest(req, url, params, body);
      const { response } = await invokeFunction(route.functionName, {
        inputData: [{ name: route.triggerName, data: { http: rpcRequest } }],
        triggerMetadata: {},
      });
      const http =
        response.returnValue?.http ??
        (response.outputData?.find((output) => output.data?.http)?.data?.http as RpcHttpData | undefined);
      return writeRpcHttpResponse(res, http);
    }
    if (allowed.size) {
      return sendProblem(res, 405, "Method not allowed", `${method} is not allowed here.`, {
        allow: [...allowed].join(", "),
      });
    }
    sendProblem(res, 404, "Not found", "No route matches this path.");
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
