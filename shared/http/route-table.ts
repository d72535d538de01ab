// Every HTTP route the app declares, so the catch-all can tell an unknown path (404) from a wrong method (405).
import type { RouteTemplate } from "./route-template";
import { compileRouteTemplate } from "./route-template";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface DeclaredRoute {
  template: RouteTemplate;
  methods: readonly HttpMethod[];
}

const declared: DeclaredRoute[] = [];

export function declareRoute(route: string, methods: readonly HttpMethod[]): void {
  declared.push({ template: compileRouteTemplate(route), methods });
}

/** The methods some declared route accepts for this path (empty when no route has the path). */
export function allowedMethods(path: string): HttpMethod[] {
  const allowed = new Set<HttpMethod>();
  for (const route of declared) {
    if (route.template.match(path)) route.methods.forEach((method) => allowed.add(method));
  }
  return [...allowed];
}
