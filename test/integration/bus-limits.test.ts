// Service Bus limits hold under the devhost as in Azure: a messageId over 128 characters or a message over 256 KB
// (Standard tier) is refused by the local publisher, and POST /api/events answers 422 instead of a 503 forever.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootDevHost, busOf, problemOf } from "../support/devhost";
import { accessToken, createOrg, issueIntegrationKey, keyHeader, login } from "../support/identity";

let host: Awaited<ReturnType<typeof bootDevHost>>;
let key: string;
let orgId: string;

beforeAll(async () => {
  host = await bootDevHost();
  const org = await createOrg(host);
  orgId = org.orgId;
  const token = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
  key = (await issueIntegrationKey(host, token, ["events:publish"])).key;
});
afterAll(() => host?.stop());

const event = (fields: Record<string, unknown> = {}) => ({
  specversion: "1.0",
  source: "/psa",
  type: "psa.ticket.created",
  data: { priority: "low" },
  ...fields,
});

const postEvent = (body: unknown) =>
  host.fetch("/api/events", {
    method: "POST",
    headers: { ...keyHeader(key), "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const publishedIds = () =>
  busOf(host)
    .published()
    .map((message) => message.messageId);

describe("POST /api/events", () => {
  it("answers 422 naming `id` for an id Service Bus cannot carry as messageId, and publishes nothing", async () => {
    const id = "e".repeat(200);
    const response = await postEvent(event({ id }));
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.errors).toEqual([expect.objectContaining({ path: "id" })]);
    expect(publishedIds()).not.toContain(id);
  });

  it("takes an id of exactly 128 characters", async () => {
    const id = `${randomUUID()}-`.padEnd(128, "x");
    expect((await postEvent(event({ id }))).status).toBe(202);
    await busOf(host).idle();
    expect(publishedIds()).toContain(id);
  });

  it("answers 422 for an envelope too big for one message although the body is within 256 KiB", async () => {
    const id = randomUUID();
    const filler = "x".repeat(256 * 1024 - 400);
    const body = JSON.stringify(event({ id, data: { filler } }));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(256 * 1024);
    const response = await postEvent(JSON.parse(body));
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/Service Bus message holds at most 262144/) }),
    ]);
    expect(publishedIds()).not.toContain(id);
  });

  it("still answers 413 for a body over 256 KiB", async () => {
    expect((await postEvent(event({ data: { filler: "x".repeat(256 * 1024) } }))).status).toBe(413);
  });
});

describe("the devhost's bus", () => {
  it("refuses a messageId over 128 characters with the SDK's words, and a message over 256 KB", () => {
    const bus = busOf(host);
    const base = {
      specversion: "1.0",
      source: "/dev",
      type: "dev.limits",
      time: new Date().toISOString(),
      orgid: orgId,
    };
    expect(() => bus.publish(bus.topic, { ...base, id: "m".repeat(129), data: {} } as never)).toThrow(
      "Length of 'messageId' property on the message cannot be greater than 128 characters.",
    );
    expect(() =>
      bus.send(bus.topic, { messageId: randomUUID(), body: { filler: "x".repeat(256 * 1024) } }),
    ).toThrow(/MessageSizeExceeded/);
  });

  it("answers 422 on POST /dev/bus/{topic} for an event it cannot carry", async () => {
    const response = await host.fetch(`/dev/bus/${busOf(host).topic}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "dev.limits", orgid: orgId, id: "d".repeat(129) }),
    });
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain("cannot be greater than 128 characters");
  });
});
