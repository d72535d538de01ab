// docs/api.md lists exactly the routes the app registers: a route added without its line, or a line left for a
// route that is gone, fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Registry from "../../devhost/core/registry";
import type { DevHost } from "../../devhost/host";
import { bootDevHost, builtModule } from "../support/devhost";

const CATCH_ALL = "{*path}";

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
      return (binding.methods ?? ["GET", "POST"]).map((method) => `${method.toUpperCase()} /api/${route}`);
    });
    expect(registered.length).toBeGreaterThan(30);
    expect(documentedRoutes().sort()).toEqual(registered.sort());
  });
});
