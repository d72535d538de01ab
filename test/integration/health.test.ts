// GET /api/health answers from the running devhost, and turns 503 when the store is down.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost, problemOf } from "../support/devhost";

describe("GET /api/health", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  beforeAll(async () => {
    host = await bootDevHost();
  });
  afterAll(() => host.stop());

  it("answers 200 with the version when the store answers", async () => {
    const response = await host.fetch("/api/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it("answers 503 with Retry-After, promptly, while the store is unreachable", async () => {
    host.cosmos!.simulateOutage();
    try {
      const response = await host.fetch("/api/health");
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({ status: 503, code: "store.unavailable" });
    } finally {
      host.cosmos!.recover();
    }
    expect((await host.fetch("/api/health")).status).toBe(200);
  });
});
