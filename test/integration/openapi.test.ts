// The OpenAPI document: served, valid for a real parser, complete (every HTTP function is in it), and enforced
// (a response that departs from it fails the test file that saw it).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { validate, compileErrors } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { ObservedResponse } from "../../devhost/http/server";
import type * as Registry from "../../devhost/core/registry";
import type { OpenApiDocument } from "../../shared/api-reference/openapi";
import { documentedPath } from "../../shared/http/route-template";
import { bootDevHost, builtModule, builtPath } from "../support/devhost";
import { responseChecker } from "../support/openapi-responses";

let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
let document: OpenApiDocument;
const seen: ObservedResponse[] = [];

beforeAll(async () => {
  host = await bootDevHost({
    extraFunctionFiles: [builtPath("test/fixtures/reference-routes.js")],
    observeResponse: (response) => seen.push(response),
  });
  document = (await (await host.fetch("/api/openapi.json")).json()) as OpenApiDocument;
});

afterAll(async () => {
  await host?.stop();
});

/** HTTP functions the document does not describe, method by method (the catch-all is not an operation). */
function undocumentedFunctions(doc: OpenApiDocument): string[] {
  const { registry } = builtModule<typeof Registry>("devhost/core/registry.js");
  return registry.byTriggerType("httpTrigger").flatMap((fn) => {
    const binding = fn.trigger.binding as { route?: string; methods?: string[] };
    if (fn.metadata.name === "z_unmatchedRoute") return [];
    const path = documentedPath(binding.route ?? fn.metadata.name).path;
    return (binding.methods ?? ["GET", "POST"])
      .filter((method) => !doc.paths[path]?.[method.toLowerCase()])
      .map((method) => `${fn.metadata.name} ${method} ${path}`);
  });
}

describe("GET /api/openapi.json", () => {
  it("is an OpenAPI 3.1 document that @readme/openapi-parser validates", async () => {
    expect(document.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? "" : compileErrors(result)).toBe("");
  });

  it("describes every HTTP function the app registers; one registered without httpRoute is named", () => {
    expect(undocumentedFunctions(document)).toEqual(["fixtureUndocumented GET /fixture/undocumented"]);
  });

  it("lists only what exists: every documented operation is a registered function", () => {
    const { registry } = builtModule<typeof Registry>("devhost/core/registry.js");
    const registered = new Set(
      registry.byTriggerType("httpTrigger").flatMap((fn) => {
        const binding = fn.trigger.binding as { route?: string; methods?: string[] };
        const path = documentedPath(binding.route ?? fn.metadata.name).path;
        return (binding.methods ?? []).map((m) => `${m.toLowerCase()} ${path}`);
      }),
    );
    const documented = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(documented.filter((operation) => !registered.has(operation))).toEqual([]);
  });

  it("documents problem answers once and refers to them from every operation", () => {
    const problem = document.components.responses.NotFound as { content: Record<string, unknown> };
    expect(Object.keys(problem.content)).toEqual(["application/problem+json"]);
    const getAgent = document.paths["/agents/{id}"]!.get!;
    expect(getAgent.responses["404"]).toEqual({ $ref: "#/components/responses/NotFound" });
    expect(getAgent.responses["401"]).toEqual({ $ref: "#/components/responses/Unauthorized" });
    expect(getAgent.security).toEqual([
      { hubToken: [] },
      { integrationKey: ["agents:read", "agents:write"] },
    ]);
    expect(document.paths["/health"]!.get!.security).toEqual([]);
    expect(Object.keys(document.components.securitySchemes)).toEqual(
      expect.arrayContaining(["hubToken", "integrationKey"]),
    );
  });

  it("describes inputs from the schemas that validate them", () => {
    const list = document.paths["/executions"]!.get!;
    const status = list.parameters!.find((p) => p.name === "status") as { schema: { enum: string[] } };
    expect(status.schema.enum).toContain("waiting_for_approval");
    const login = document.paths["/auth/login"]!.post!.requestBody as {
      required: boolean;
      content: Record<string, { schema: { required: string[] } }>;
    };
    expect(login.required).toBe(true);
    expect(login.content["application/json"]!.schema.required).toEqual(["email", "password"]);
  });
});

describe("GET /api/docs and GET /api/asyncapi.json", () => {
  it("renders every operation on one page with no script and a strict CSP", async () => {
    const page = await host.fetch("/api/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src|unsafe/);
    const html = await page.text();
    expect(html).not.toMatch(/<script|https?:\/\/(?!localhost)[a-z]/i);
    for (const [path, operations] of Object.entries(document.paths))
      for (const [method, op] of Object.entries(operations)) {
        expect(html).toContain(`id="${op.operationId}"`);
        expect(html).toContain(`${method.toUpperCase()} /api${path.replace(/&/g, "&amp;")}`);
      }
  });

  it("serves the AsyncAPI document that is checked in as docs/asyncapi.json", async () => {
    const served = await (await host.fetch("/api/asyncapi.json")).json();
    expect(served).toEqual(JSON.parse(readFileSync(resolve(__dirname, "../../docs/asyncapi.json"), "utf8")));
  });
});

describe("response conformance", () => {
  const drift = async (as: string) => {
    seen.length = 0;
    await host.fetch(`/api/fixture/drift?as=${as}`);
    return responseChecker(document)(seen[0]!);
  };

  it("accepts a response that matches its document", async () => {
    expect(await drift("ok")).toEqual([]);
  });

  it("names a field of the wrong type, an extra field, an undocumented status and content type", async () => {
    expect((await drift("field")).join()).toMatch(/body\/ok must be boolean/);
    expect((await drift("extra")).join()).toMatch(/must NOT have additional properties.*leaked/);
    expect((await drift("status")).join()).toMatch(/status not documented for getFixtureDrift/);
    expect((await drift("type")).join()).toMatch(/content type text\/plain is not documented/);
  });

  it("checks problem answers against the shared Problem schema", async () => {
    seen.length = 0;
    await host.fetch("/api/fixture/drift?as=nonsense");
    expect(seen[0]!.status).toBe(422);
    expect(responseChecker(document)(seen[0]!)).toEqual([]);
    const forged = { ...seen[0]!, body: Buffer.from(JSON.stringify({ title: "no type" })) };
    expect(responseChecker(document)(forged).join()).toMatch(/must have required property 'type'/);
  });
});
