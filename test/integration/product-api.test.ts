// Product calls: the org's Hub-issued service key and execution id go along; 429/5xx are retried (Retry-After honoured), other 4xx are not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type * as ProductApi from "../../shared/products/product-api";
import { bootDevHost, builtModule } from "../support/devhost";
import { fakePsaSettings, validatePsaKeys } from "../support/executions";
import type { FakeProduct } from "../support/fake-product";
import { startFakeProduct } from "../support/fake-product";
import { createOrg } from "../support/identity";

describe("product API client", () => {
  let host: DevHost;
  let psa: FakeProduct;
  let api: typeof ProductApi;
  let orgId: string;
  beforeAll(async () => {
    psa = await startFakeProduct();
    host = await bootDevHost({ settings: fakePsaSettings(psa) });
    validatePsaKeys(psa, host);
    orgId = (await createOrg(host)).orgId;
    api = builtModule<typeof ProductApi>("shared/products/product-api.js");
  });
  afterAll(async () => {
    await host.stop();
    await psa.close();
  });

  const createTicket = () =>
    api.callProductApi({
      product: "psa",
      method: "POST",
      path: "/tickets",
      body: { title: "t" },
      orgId,
      executionId: "exec-1",
    });

  it("sends the org's service key and the execution id", async () => {
    const before = psa.calls.length;
    const result = await createTicket();
    expect(result).toMatchObject({ status: 200, attempts: 1 });
    const call = psa.calls[before]!;
    expect(call).toMatchObject({ method: "POST", path: "/tickets", body: { title: "t" } });
    expect(call.headers["x-agent-execution-id"]).toBe("exec-1");
    expect(call.introspection).toMatchObject({
      active: true,
      kind: "service",
      product: "psa",
      org_id: orgId,
    });
  });

  it("waits as long as Retry-After says on a 429, then succeeds", async () => {
    psa.answerNext({ path: "/tickets", status: 429, headers: { "retry-after": "1" } });
    const before = psa.calls.length;
    const result = await createTicket();
    expect(result.attempts).toBe(2);
    const [first, second] = psa.calls.slice(before);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it("retries a 5xx, then succeeds", async () => {
    psa.answerNext({ status: 500 }, { status: 503 });
    expect((await createTicket()).attempts).toBe(3);
  });

  it("fails at once on another 4xx, with the product's answer", async () => {
    psa.answerNext({ status: 400, body: { error: "title required" } });
    const before = psa.calls.length;
    await expect(createTicket()).rejects.toMatchObject({
      status: 400,
      body: { error: "title required" },
      attempts: 1,
    });
    expect(psa.calls.length - before).toBe(1);
  });

  it("gives up after 5 attempts", async () => {
    psa.answerNext(...Array.from({ length: 5 }, () => ({ status: 502, headers: { "retry-after": "0" } })));
    const before = psa.calls.length;
    await expect(createTicket()).rejects.toMatchObject({ status: null, attempts: 5 });
    expect(psa.calls.length - before).toBe(5);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(api.retryAfterMs("3")).toBe(3000);
    expect(api.retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(api.retryAfterMs("soon")).toBeNull();
    expect(api.retryAfterMs(null)).toBeNull();
  });
});
