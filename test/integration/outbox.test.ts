// Without ACS settings, notifications land in the devhost outbox (GET /dev/outbox), once per idempotency key.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost } from "../support/devhost";
import { operationIdFor } from "../../shared/notify/acs-email";

describe("notification outbox", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  beforeAll(async () => {
    host = await bootDevHost({
      extraFunctionFiles: [join(__dirname, "../../dist/test/fixtures/notify-route.js")],
    });
  });
  afterAll(() => host.stop());

  const send = (body: Record<string, string>) =>
    host.fetch("/api/fixture/notify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("records each message with the links it carries, and a repeated send only once", async () => {
    const email = {
      channel: "email",
      to: "ann@example.com",
      text: "Decide: https://x.test/api/approvals/abc",
      key: "k1",
    };
    const first = await (await send(email)).json();
    const again = await (await send(email)).json();
    expect(again).toEqual(first);
    await send({ channel: "sms", to: "+15550100", text: "Hi", key: "k2" });

    const outbox = (await (await host.fetch("/dev/outbox")).json()) as { items: Record<string, unknown>[] };
    expect(outbox.items).toHaveLength(2);
    expect(outbox.items[0]).toMatchObject({
      channel: "email",
      to: "ann@example.com",
      subject: "Hello",
      links: ["https://x.test/api/approvals/abc"],
    });
    const forPhone = (await (await host.fetch("/dev/outbox?to=%2B15550100")).json()) as { items: unknown[] };
    expect(forPhone.items).toHaveLength(1);
  });

  it("derives a stable UUID-shaped ACS operation id from the idempotency key", () => {
    expect(operationIdFor("exec-1:step-2:ann")).toBe(operationIdFor("exec-1:step-2:ann"));
    expect(operationIdFor("exec-1:step-2:ann")).not.toBe(operationIdFor("exec-1:step-2:bob"));
    expect(operationIdFor("x")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
