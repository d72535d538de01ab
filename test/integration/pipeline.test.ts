// The request pipeline, through real HTTP: every status of docs/api.md and what reaches a handler.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost, problemOf } from "../support/devhost";

const fixture = join(__dirname, "../../dist/test/fixtures/pipeline-routes.js");
const jsonHeaders = { "content-type": "application/json" };

describe("request pipeline", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  beforeAll(async () => {
    host = await bootDevHost({ extraFunctionFiles: [fixture] });
  });
  afterAll(() => host.stop());

  const post = (path: string, body: string, headers: Record<string, string> = jsonHeaders) =>
    host.fetch(path, { method: "POST", body, headers });

  it("hands route params, query, headers and body to the handler as real HttpRequest/InvocationContext", async () => {
    const response = await post("/api/fixture/echo/abc-1?limit=7&tag=x", JSON.stringify({ name: "n" }), {
      ...jsonHeaders,
      "x-fixture": "yes",
      "x-request-id": "req-123",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-123");
    expect(await response.json()).toMatchObject({
      params: { id: "abc-1" },
      query: { limit: 7, tag: "x" },
      body: { name: "n", steps: [] },
      requestIsHttpRequest: true,
      contextIsInvocationContext: true,
      functionName: "fixtureEcho",
      header: "yes",
      url: expect.stringContaining("/api/fixture/echo/abc-1?limit=7"),
      requestId: "req-123",
    });
  });

  it("puts the request id on every log line and redacts secret fields", async () => {
    await post("/api/fixture/echo/log-check", JSON.stringify({ name: "n" }), {
      ...jsonHeaders,
      "x-request-id": "log-1",
    });
    const lines = host.logs.filter((entry) => entry.message.includes('"log-1"'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(JSON.parse(line.message)).toMatchObject({ request_id: "log-1" });
    expect(host.logs.some((entry) => entry.message.includes("hunter2"))).toBe(false);
  });

  it("answers 400 for malformed JSON", async () => {
    const response = await post("/api/fixture/echo/a", "{not json");
    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ status: 400, code: "request.malformed_json" });
  });

  it("answers 415 for a body that is not JSON", async () => {
    const response = await post("/api/fixture/echo/a", "name=x", { "content-type": "text/plain" });
    expect(response.status).toBe(415);
    expect(await problemOf(response)).toMatchObject({ status: 415, title: "Unsupported media type" });
  });

  it("answers 413 for a body over 256 KiB", async () => {
    const big = JSON.stringify({ name: "x".repeat(300 * 1024) });
    const response = await post("/api/fixture/echo/a", big);
    expect(response.status).toBe(413);
    expect(await problemOf(response)).toMatchObject({ status: 413 });
  });

  it("answers 422 with errors[] naming each bad field by its path", async () => {
    const response = await post(
      "/api/fixture/echo/a?limit=0",
      JSON.stringify({ name: "", steps: [{ id: "s1" }, { id: "s2", email: "nope" }] }),
    );
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ status: 422, code: "request.invalid" });
    expect(problem.errors).toEqual([{ path: "query.limit", message: expect.any(String) }]);

    const bodyResponse = await post(
      "/api/fixture/echo/a",
      JSON.stringify({ name: "", steps: [{ id: "s1" }, { id: "s2", email: "nope" }] }),
    );
    const bodyProblem = await problemOf(bodyResponse);
    const paths = (bodyProblem.errors as { path: string }[]).map((issue) => issue.path).sort();
    expect(paths).toEqual(["name", "steps[1].email"]);
  });

  it("answers 422 for invalid route params", async () => {
    const response = await post("/api/fixture/echo/UPPER", JSON.stringify({ name: "n" }));
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors).toEqual([{ path: "params.id", message: expect.any(String) }]);
  });

  it("answers 404 for an unknown route and 405 with Allow for a wrong method", async () => {
    const missing = await host.fetch("/api/no/such/route");
    expect(missing.status).toBe(404);
    expect(await problemOf(missing)).toMatchObject({ status: 404, code: "route.not_found" });

    const wrongMethod = await host.fetch("/api/fixture/conflict", { method: "PUT" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, DELETE");
    expect(await problemOf(wrongMethod)).toMatchObject({ status: 405 });

    const outsidePrefix = await host.fetch("/elsewhere");
    expect(outsidePrefix.status).toBe(404);
    expect(outsidePrefix.headers.get("content-type")).toContain("application/problem+json");
  });

  it("maps an AppError code to its status", async () => {
    const response = await host.fetch("/api/fixture/conflict");
    expect(response.status).toBe(409);
    expect(await problemOf(response)).toMatchObject({ status: 409, detail: "Already decided." });
  });

  it("answers an unexpected failure with a bare 500 that leaks nothing", async () => {
    const response = await host.fetch("/api/fixture/crash");
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/secret internal detail|db\.ts|at .*\(/);
    expect(JSON.parse(text)).toMatchObject({ status: 500, title: "Internal server error" });
    expect(host.logs.some((entry) => entry.message.includes("secret internal detail"))).toBe(true);
  });

  it("answers 401 with WWW-Authenticate on a protected route without a credential", async () => {
    const response = await host.fetch("/api/fixture/protected");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("answers 503 with Retry-After and nothing else when the store is down", async () => {
    host.cosmos!.simulateOutage();
    try {
      const response = await host.fetch("/api/health");
      expect(response.status).toBe(503);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await problemOf(response)).toMatchObject({ status: 503, code: "store.unavailable" });
    } finally {
      host.cosmos!.recover();
    }
  });
});
