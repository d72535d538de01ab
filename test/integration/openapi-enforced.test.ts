// The check every bootDevHost installs: a host that answered anything the OpenAPI document does not describe fails
// when it stops, naming each departure (so any integration test whose responses drift fails).
import { expect, it } from "vitest";
import { bootDevHost, builtPath } from "../support/devhost";

it("fails the host's stop for a drifting body and for a function missing from the document", async () => {
  const host = await bootDevHost({ extraFunctionFiles: [builtPath("test/fixtures/reference-routes.js")] });
  let stopped = false;
  try {
    expect((await host.fetch("/api/fixture/drift?as=ok")).status).toBe(200);
    expect((await host.fetch("/api/fixture/drift?as=field")).status).toBe(200);
    expect((await host.fetch("/api/fixture/undocumented")).status).toBe(200);
    const stop = host.stop();
    stopped = true;
    const error = await stop.then(
      () => new Error("stop did not fail"),
      (failure: unknown) => failure as Error,
    );
    expect(error.message).toMatch(/depart from the OpenAPI document/);
    expect(error.message).toContain("GET /api/fixture/drift → 200");
    expect(error.message).toMatch(/body\/ok must be boolean/);
    expect(error.message).toMatch(
      /GET \/api\/fixture\/undocumented → 200: no operation in the OpenAPI document/,
    );
    expect(error.message).not.toMatch(/as=ok/);
  } finally {
    if (!stopped) await host.stop().catch(() => undefined);
  }
});
