// HTTP dispatch as the Functions host does it: functions in name order (ordinal, ignoring case), the first
// template and method that match win, ASP.NET Core route constraints; and every route of the app is reachable so.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FunctionRegistry } from "../../devhost/core/registry";
import type * as Recorder from "../fixtures/invocation-recorder";
import { bootDevHost, builtModule, builtPath } from "../support/devhost";

let host: Awaited<ReturnType<typeof bootDevHost>>;
let reachedByProbe: Map<string, string>;

beforeAll(async () => {
  host = await bootDevHost({
    allowShadowedRoutes: true,
    extraFunctionFiles: [
      builtPath("test/fixtures/routing-order-app.js"),
      builtPath("test/fixtures/invocation-recorder.js"),
    ],
  });
  reachedByProbe = builtModule<typeof Recorder>("test/fixtures/invocation-recorder.js").reachedByProbe;
});
afterAll(() => host?.stop());

async function reached(method: string, path: string): Promise<{ fn: string | undefined; status: number }> {
  const probe = randomUUID();
  const response = await host.fetch(path, { method, headers: { "x-route-probe": probe } });
  await response.arrayBuffer();
  return { fn: reachedByProbe.get(probe), status: response.status };
}

describe("the host's order", () => {
  it.each([
    ["a parameter of an earlier name takes a later literal", "GET", "/api/fixture-order/settings", "fxA"],
    ["names compare ignoring case", "GET", "/api/fixture-order/case/literal", "fxC"],
    [
      "the method is a constraint: a POST-only route lets a GET through",
      "GET",
      "/api/fixture-order/method/x",
      "fxF",
    ],
    ["…and takes the POST", "POST", "/api/fixture-order/method/x", "fxE"],
    ["int", "GET", "/api/fixture-order/c/-17", "fxG"],
    ["int refuses what does not fit in 32 bits", "GET", "/api/fixture-order/c/2147483648", "fxN"],
    ["guid (D form)", "GET", "/api/fixture-order/c/0f8fad5b-d9cb-469f-a165-70867728950e", "fxH"],
    ["guid (N form)", "GET", "/api/fixture-order/c/0f8fad5bd9cb469fa16570867728950e", "fxH"],
    ["alpha with maxlength", "GET", "/api/fixture-order/c/Abc", "fxI"],
    ["regex, case-insensitive, with escaped braces", "GET", "/api/fixture-order/c/R-42", "fxJ"],
    ["length(6)", "GET", "/api/fixture-order/c/abcdef", "fxK"],
    ["minlength and maxlength together", "GET", "/api/fixture-order/c/abcdefgh", "fxL"],
    ["nothing fits: the catch-all", "GET", "/api/fixture-order/c/abcdefghij", "fxN"],
    ["optional parameter present", "GET", "/api/fixture-order/opt/x/5", "fxM"],
    ["optional parameter absent", "GET", "/api/fixture-order/opt/x", "fxM"],
    ["optional parameter with a value its constraint refuses", "GET", "/api/fixture-order/opt/x/y", "fxN"],
    ["literals ignore case, trailing slash ignored", "GET", "/API/Fixture-Order/OPT/X/", "fxM"],
  ])("%s: %s %s → %s", async (_why, method, path, expected) => {
    expect((await reached(method, path)).fn).toBe(expected);
  });

  it("hands route values to the function as the host does (catch-all joined, decoded)", async () => {
    const response = await host.fetch("/api/fixture-order/deep/a%20b/c");
    expect(await response.json()).toEqual({ function: "fxN", params: { rest: "deep/a b/c" } });
  });

  it("answers a method no route takes with the app's 405 (the host itself never says 405)", async () => {
    const { fn, status } = await reached(
      "PATCH",
      "/api/users/3f2b8c1e-5d4a-4b6f-9e7d-1a2b3c4d5e6f/deactivate",
    );
    expect(fn).toBe("z_unmatchedRoute");
    expect(status).toBe(405);
  });
});

/** A path for a route template, filled from the template's own constraints (independent of the devhost's code). */
function samplePath(route: string): string {
  const parts: string[] = [];
  for (const segment of route.split(/\/(?![^{]*\})/)) {
    const parameter = /^\{(\*{0,2})([^:?=}]+)(.*?)\??\}$/.exec(
      segment.replace(/\{\{/g, "⟨").replace(/\}\}/g, "⟩"),
    );
    if (!parameter) {
      parts.push(segment);
      continue;
    }
    const [, star, name, constraints] = parameter;
    if (star) {
      parts.push("probe/sample");
      continue;
    }
    const regex = /:regex\((.*)\)/.exec(constraints!)?.[1]?.replace(/⟨/g, "{").replace(/⟩/g, "}");
    const length = /:(?:length|minlength)\((\d+)/.exec(constraints!)?.[1];
    const candidates = [
      ...(constraints!.includes(":guid") ? [randomUUID()] : []),
      ...(/:(int|long|min|max|range)\b/.test(constraints!) ? ["7"] : []),
      ...(length ? ["x".repeat(Number(length))] : []),
      randomUUID(),
      "sys-sample",
      "sample",
      "7",
    ];
    const value = candidates.find((candidate) => !regex || new RegExp(regex, "i").test(candidate));
    if (value === undefined)
      throw new Error(`No sample value for {${name}} of route "${route}": add a candidate.`);
    parts.push(encodeURIComponent(value));
  }
  return `/api/${parts.join("/")}`;
}

describe("every HTTP function of the app", () => {
  it("is reached, under the host's order, by a request built for each of its methods", async () => {
    const registry = builtModule<{ registry: FunctionRegistry }>("devhost/core/registry.js").registry;
    const fixtures = new Set([
      "fxA",
      "fxB",
      "fxC",
      "FxD",
      "fxE",
      "fxF",
      "fxG",
      "fxH",
      "fxI",
      "fxJ",
      "fxK",
      "fxL",
      "fxM",
      "fxN",
    ]);
    const functions = registry.byTriggerType("httpTrigger").filter((fn) => !fixtures.has(fn.metadata.name));
    expect(functions.length).toBeGreaterThan(30);
    const wrong: string[] = [];
    for (const fn of functions) {
      const binding = fn.trigger.binding as { route?: string; methods?: string[] };
      const route = binding.route || fn.metadata.name;
      for (const method of binding.methods ?? ["GET", "POST"]) {
        const path = samplePath(route);
        const { fn: got } = await reached(method, path);
        if (got !== fn.metadata.name)
          wrong.push(`${method} ${path} (${route}) reached ${got}, not ${fn.metadata.name}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("answers the two requests Azure used to get wrong", async () => {
    expect((await reached("GET", "/api/agents/settings")).fn).toBe("getAgentsSettings");
    expect((await reached("PATCH", `/api/users/${randomUUID()}`)).fn).toBe("updateUser");
  });
});
