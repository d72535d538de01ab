// Every HTTP route the app declares: the catch-all tells an unknown path (404) from a wrong method (405) with it,
// and the API reference (docs/api.md) is generated from it.
import type { RouteDoc } from "./route-doc";
import { assertDocumented } from "./route-doc";
import type { RouteTemplate } from "./route-template";
import { compileRouteTemplate } from "./route-template";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface DeclaredRoute {
  template: RouteTemplate;
  doc: RouteDoc;
}

const declared: DeclaredRoute[] = [];

export function declareRoute(doc: RouteDoc): void {
  assertDocumented(doc);
  declared.push({ template: compileRouteTemplate(doc.route), doc });
}

/** The methods some declared route accepts for this path (empty when no route has the path). */
export function allowedMethods(path: string): HttpMethod[] {
  const allowed = new Set<HttpMethod>();
  for (const route of declared) {
    if (route.template.match(path)) route.doc.methods.forEach((method) => allowed.add(method));
  }
  return [...allowed];
}

/** Every declared route, in registration order. */
export function declaredRoutes(): readonly RouteDoc[] {
  return declared.map((route) => route.doc);
}
