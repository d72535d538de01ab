// A route the Functions host could never reach stops the devhost at start, naming both functions.
import { describe, expect, it } from "vitest";
import { bootDevHost, builtPath } from "../support/devhost";

describe("devhost HTTP routes: a shadowed route", () => {
  it("fails the start, saying which function takes the request and how to fix it", async () => {
    const boot = bootDevHost({ extraFunctionFiles: [builtPath("test/fixtures/shadowed-route-app.js")] });
    await expect(boot).rejects.toThrow(
      /GET \/api\/fixture-shadow\/settings is meant for "fxListSettings" but the host gives it to "fxListItem"[\s\S]*Constrain the earlier route's parameter, or rename/,
    );
  });
});
