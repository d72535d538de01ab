// docs/api.md lists exactly the routes the app registers: a route added without its line, or a line left for a
// route that is gone, fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Registry from "../../devhost/core/registry";
import type { DevHost } from "../../devhost/host";
import { bootDevHost, builtModule } from "../support/devhost";

const CATCH_ALL = "{*path}";

/** `agents/{id:regex(…)}` → `agents/{id}`: the table names parameters, the constraints live in the code. */
function withoutConstraints(route: string): string {
  let out = "";
  for (let i = 0; i < route.length; i++) {
    if (route[i] !== "{") {
      out += route[i];
      continue;
    }
    let end = i + 1;
    // `{{` and `}}` inside a constraint are escaped braces, not the parameter's end.
    while (end < route.length && !(route[end] === "}" && route[end + 1] !== "}")) {
      end += route[end] === "{" || route[end] === "}" ? 2 : 1;
    }
    out += `{${route.slice(i + 1, end).split(":")[0]}}`;
    i = end;
  }
  return out;
}

/** `GET /api/agents`-style lines from the table of docs/api.md. */
function documentedRoutes(): string[] {
  const page = readFileSync(join(__dirname, "../../docs/api.md"), "utf8");
  return page.split("\n").flatMap((line) => {
    const row = /^\|\s*((?:`[A-Z]+`,?\s*)+)\|\s*`(\/api\/[^`]+)`\s*\|/.exec(line);
    if (!row) return [];
    return [...row[1]!.matchAll(/`([A-Z]+)`/g)].map((method) => `${method[1]} ${row[2]}`);
  });
}

describe("docs/api.md", () => {
  let host: DevHost;
  beforeAll(async () => {
    host = await bootDevHost();
  });
  afterAll(() => host.stop());

  it("lists every HTTP route the app registers, and nothing else", () => {
    const { registry } = builtModule<typeof Registry>("devhost/core/registry.js");
    const registered = registry.byTriggerType("httpTrigger").flatMap((fn) => {
      const binding = fn.trigger.binding as { route?: string; methods?: string[] };
      const route = binding.route ?? fn.metadata.name;
      if (route === CATCH_ALL) return [];
      return (binding.methods ?? ["GET", "POST"]).map(
        (method) => `${method.toUpperCase()} /api/${withoutConstraints(route)}`,
      );
    });
    expect(registered.length).toBeGreaterThan(30);
    expect(documentedRoutes().sort()).toEqual(registered.sort());
  });
});
