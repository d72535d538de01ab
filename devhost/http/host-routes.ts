// The HTTP route table as the Functions host builds it: functions in name order, first matching template wins.
//
// What the host does (Azure/azure-functions-host, read at 89dc438, Oct 2024):
// - FunctionMetadataManager.LoadFunctionMetadata returns the functions
//   `OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)`; ScriptHost builds `Functions` in that order.
// - WebScriptHostHttpRoutesManager.InitializeHttpFunctionRoutes walks `host.Functions` and maps one ASP.NET Core
//   `Route` per HTTP function (template `<routePrefix>/<route>`, the function name when the route is empty),
//   with an `HttpMethodRouteConstraint` for its methods; WebJobsRouteBuilder.Build puts them in a RouteCollection
//   in that order (Azure/azure-webjobs-sdk-extensions, WebJobsRouteBuilder.cs, WebJobsRouter.cs).
// - RouteCollection.RouteAsync tries its routes in order and stops at the first whose template, inline constraints
//   and method constraint all match. There is no precedence sort: `agents/{id}` registered as "getAgent" takes
//   `GET agents/settings` from "getAgentsSettings". A path no route takes gets the host's bare 404 (never a 405).
// - ScriptHost.ValidateFunction refuses a route starting with "admin" or "runtime", and a route equal (ignoring
//   case and slashes) to another function's with an overlapping method; Utility.IsValidFunctionName refuses names
//   outside ^[a-z][a-z0-9_-]{0,127}$. The host drops such a function with an error; the devhost refuses to start.
// The devhost goes one step further (docs/devhost.md): it refuses to start when a route is shadowed, i.e. a request
// built for it reaches another function first, since the host would silently answer with the wrong function.
import { compileRouteTemplate } from "../../shared/http/route-template";
import type { RouteTemplate } from "../../shared/http/route-template";
import type { FunctionRegistry } from "../core/registry";

export interface HostRoute {
  functionName: string;
  triggerName: string;
  /** The template as registered (without the route prefix). */
  route: string;
  template: RouteTemplate;
  /** Upper-case; empty means every method (the host's `methods: null`). */
  methods: Set<string>;
}

const FUNCTION_NAME = /^[a-z][a-z0-9_-]{0,127}$/i;

/** .NET's StringComparer.OrdinalIgnoreCase on the ASCII names the host accepts: upper-case, then code units. */
export function compareOrdinalIgnoreCase(a: string, b: string): number {
  const [x, y] = [a.toUpperCase(), b.toUpperCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

const acceptsMethod = (route: HostRoute, method: string) =>
  route.methods.size === 0 || route.methods.has(method);

export function buildHostRoutes(registry: FunctionRegistry, routePrefix: string): HostRoute[] {
  const prefix = routePrefix.replace(/^\/+|\/+$/g, "");
  const routes = registry
    .byTriggerType("httpTrigger")
    .sort((a, b) => compareOrdinalIgnoreCase(a.metadata.name, b.metadata.name))
    .map((fn) => {
      const name = fn.metadata.name;
      if (!FUNCTION_NAME.test(name) || name.toLowerCase() === "host")
        throw new Error(
          `Function name "${name}" is not valid in Azure Functions (^[a-z][a-z0-9_-]{0,127}$).`,
        );
      const binding = fn.trigger.binding as { route?: string | null; methods?: string[] | null };
      const route = binding.route ? binding.route : name;
      const lower = route.replace(/^\/+|\/+$/g, "").toLowerCase();
      if (lower.startsWith("admin") || lower.startsWith("runtime"))
        throw new Error(`Function "${name}": route "${route}" conflicts with the host's built-in routes.`);
      let template: RouteTemplate;
      try {
        template = compileRouteTemplate(prefix ? `${prefix}/${route}` : route);
      } catch (error) {
        throw new Error(`Function "${name}": ${error instanceof Error ? error.message : String(error)}`);
      }
      return {
        functionName: name,
        triggerName: fn.trigger.name,
        route,
        template,
        methods: new Set((binding.methods ?? []).map((method) => method.toUpperCase())),
      };
    });
  for (const [index, route] of routes.entries()) {
    for (const other of routes.slice(0, index)) {
      const same =
        other.route.replace(/^\/+|\/+$/g, "").toLowerCase() ===
        route.route.replace(/^\/+|\/+$/g, "").toLowerCase();
      const overlap =
        route.methods.size === 0 ||
        other.methods.size === 0 ||
        [...route.methods].some((m) => other.methods.has(m));
      if (same && overlap)
        throw new Error(
          `Function "${route.functionName}": the route "${route.route}" conflicts with the route defined by function "${other.functionName}".`,
        );
    }
  }
  return routes;
}

/** The first route, in host order, that takes this method and path, with its route values. */
export function dispatch(
  routes: HostRoute[],
  method: string,
  path: string,
): { route: HostRoute; params: Record<string, string> } | null {
  const upper = method.toUpperCase();
  for (const route of routes) {
    if (!acceptsMethod(route, upper)) continue;
    const params = route.template.match(path);
    if (params) return { route, params };
  }
  return null;
}

export interface ShadowedRoute {
  functionName: string;
  method: string;
  path: string;
  /** The function the host reaches first for that request. */
  takenBy: string;
}

/** Every route and method whose sample request the host would give to another function. */
export function shadowedRoutes(routes: HostRoute[]): ShadowedRoute[] {
  const shadowed: ShadowedRoute[] = [];
  for (const route of routes) {
    const path = route.template.sample();
    if (path === null) continue;
    for (const method of route.methods.size ? route.methods : ["GET"]) {
      const reached = dispatch(routes, method, path);
      if (reached && reached.route !== route)
        shadowed.push({
          functionName: route.functionName,
          method,
          path: `/${path}`,
          takenBy: reached.route.functionName,
        });
    }
  }
  return shadowed;
}

/** Stops the devhost when a route can never be reached in Azure, naming the function that takes it. */
export function assertNoShadowedRoutes(routes: HostRoute[]): void {
  const shadowed = shadowedRoutes(routes);
  if (shadowed.length === 0) return;
  const lines = shadowed.map(
    (s) => `  ${s.method} ${s.path} is meant for "${s.functionName}" but the host gives it to "${s.takenBy}"`,
  );
  throw new Error(
    `HTTP routes shadowed under the Functions host's order (functions by name, first matching template wins):\n${lines.join("\n")}\n` +
      `Constrain the earlier route's parameter, or rename a function so the specific one sorts first (docs/devhost.md, "HTTP routing").`,
  );
}
