// The devhost bus feeds Service Bus triggers as Azure does: metadata, filters, retries, dead letters, redelivery.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BusHandle } from "../../devhost/bus/extension";
import type { DevHost } from "../../devhost/host";
import type * as PublisherModule from "../../shared/bus/publisher";
import type { CloudEvent } from "../../shared/events/cloud-event";
import type * as CloudEventModule from "../../shared/events/cloud-event";
import type * as Fixture from "../fixtures/bus-fixture";
import { bootDevHost, builtModule, builtPath, busOf, problemOf } from "../support/devhost";

const fixture = builtModule<typeof Fixture>("test/fixtures/bus-fixture.js");
const { newCloudEvent } = builtModule<typeof CloudEventModule>("shared/events/cloud-event.js");
const { busPublisher } = builtModule<typeof PublisherModule>("shared/bus/publisher.js");

const event = (type: string, data: Record<string, unknown> = {}): CloudEvent =>
  newCloudEvent({ type, orgid: "org-1", data });

const receivedBy = (functionName: string) => fixture.received.filter((r) => r.functionName === functionName);

describe("devhost bus", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  let bus: BusHandle;

  beforeAll(async () => {
    host = await bootDevHost({
      extraFunctionFiles: [builtPath("test/fixtures/bus-app.js")],
      busTopologies: [fixture.fixtureTopology],
      settings: { [fixture.DOOMED_QUEUE_SETTING]: "fixture-doomed" },
    });
    bus = busOf(host);
  });
  afterAll(() => host.stop());
  beforeEach(async () => {
    await bus.idle();
    fixture.received.length = 0;
  });

  it("delivers a CloudEvent with the body and the trigger metadata a handler reads in Azure", async () => {
    const sent = event("hub.iam.user_created", { user_id: "u1" });
    bus.publish(fixture.FIXTURE_TOPIC, sent);
    await bus.idle();

    const [delivery, ...others] = receivedBy("fixtureEverything");
    expect(others).toEqual([]);
    expect(delivery!.input).toEqual(sent);
    expect(delivery!.metadata).toMatchObject({
      messageId: sent.id,
      deliveryCount: 1,
      subject: "hub.iam.user_created",
      contentType: "application/cloudevents+json",
      applicationProperties: { type: "hub.iam.user_created", org_id: "org-1" },
      sequenceNumber: expect.any(Number),
      lockToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const enqueued = Date.parse(String(delivery!.metadata!.enqueuedTimeUtc));
    expect(Math.abs(enqueued - host.clock.now())).toBeLessThan(5_000);
  });

  it("delivers a message that is not a CloudEvent as it was sent, for handlers that must reject bad envelopes", async () => {
    const sent = bus.send(fixture.FIXTURE_TOPIC, {
      body: "not a cloud event",
      applicationProperties: { type: "x" },
    });
    await bus.idle();
    const [delivery] = receivedBy("fixtureEverything");
    expect(delivery!.input).toBe("not a cloud event");
    expect(delivery!.metadata).toMatchObject({
      messageId: sent.messageId,
      applicationProperties: { type: "x" },
    });
    expect(delivery!.metadata).not.toHaveProperty("contentType");
  });

  it("copies a message only to the subscriptions whose filter on `type` it passes", async () => {
    const deactivated = event("hub.iam.user_deactivated");
    const loggedIn = event("hub.auth.login_success");
    bus.publish(fixture.FIXTURE_TOPIC, deactivated);
    bus.publish(fixture.FIXTURE_TOPIC, loggedIn);
    await bus.idle();

    const ids = (name: string) => receivedBy(name).map((r) => (r.input as CloudEvent).id);
    expect(ids("fixtureDeactivations")).toEqual([deactivated.id]);
    expect(ids("fixtureEverything").sort()).toEqual([deactivated.id, loggedIn.id].sort());
  });

  it("declares The One Bus's subscriptions with the topology's filters", () => {
    const oneBus = bus.topology().filter((entry) => entry.entity === "the-one-bus");
    expect(oneBus.map(({ subscription, filter }) => ({ subscription, filter }))).toEqual([
      {
        subscription: "sessions",
        filter: "user.type IN ('hub.iam.user_deactivated', 'hub.auth.password_changed')",
      },
      {
        subscription: "psa-sync",
        filter:
          "user.type IN ('hub.iam.user_created', 'hub.iam.access_granted', 'hub.iam.access_revoked', " +
          "'hub.iam.permission_changed', 'hub.iam.user_deactivated')",
      },
      { subscription: "agents", filter: "1=1" },
    ]);
  });

  it("publishes the app's events to The One Bus with the Service Bus properties of docs/events.md", async () => {
    const sent = event("hub.iam.access_granted", { user_id: "u1", product: "psa" });
    await busPublisher().publish([sent]);
    const message = bus.published().find((m) => m.messageId === sent.id);
    expect(message).toMatchObject({
      entity: "the-one-bus",
      subject: "hub.iam.access_granted",
      contentType: "application/cloudevents+json",
      applicationProperties: { type: "hub.iam.access_granted", org_id: "org-1" },
      body: sent,
    });
  });

  it("retries a failing handler: deliveries 1 and 2 fail, 3 succeeds, nothing is dead-lettered", async () => {
    const sent = event("fixture.flaky");
    bus.publish(fixture.FLAKY_TOPIC, sent);
    await bus.idle();

    expect(receivedBy("fixtureFlaky").map((r) => r.metadata?.deliveryCount)).toEqual([1, 2, 3]);
    expect(receivedBy("fixtureFlaky").every((r) => r.metadata?.messageId === sent.id)).toBe(true);
    expect(bus.deadLetters().filter((d) => d.message.messageId === sent.id)).toEqual([]);
  });

  it("dead-letters a message after exactly 10 failed deliveries, with the broker's reason", async () => {
    const sent = event("fixture.doomed");
    bus.publish("fixture-doomed", sent);
    await bus.idle();

    expect(receivedBy("fixtureDoomed").map((r) => r.metadata?.deliveryCount)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    const dead = bus.deadLetters().filter((d) => d.message.messageId === sent.id);
    expect(dead).toEqual([
      expect.objectContaining({
        entity: "fixture-doomed",
        functionName: "fixtureDoomed",
        deliveryCount: 10,
        deadLetterReason: "MaxDeliveryCountExceeded",
        lastError: expect.stringContaining("this handler always fails"),
      }),
    ]);
    const listed = (await (await host.fetch("/dev/bus/deadletters")).json()) as {
      message: { messageId: string };
    }[];
    expect(listed.map((d) => d.message.messageId)).toContain(sent.id);
  });

  it("holds deliveries while paused and releases them duplicated and in reverse order", async () => {
    bus.pause();
    const sent = [event("fixture.a"), event("fixture.b"), event("fixture.c")];
    for (const e of sent) bus.publish(fixture.FIXTURE_TOPIC, e);
    await bus.idle(); // held messages do not keep the bus busy
    expect(receivedBy("fixtureEverything")).toEqual([]);

    bus.release({ duplicate: true, reverse: true, serial: true });
    await bus.idle();
    const order = receivedBy("fixtureEverything").map((r) => (r.input as CloudEvent).type);
    expect(order).toEqual(["fixture.c", "fixture.b", "fixture.a", "fixture.c", "fixture.b", "fixture.a"]);
  });

  it("rejects publishing with bus.unavailable during an outage, and publishes again after it", async () => {
    bus.simulateOutage();
    try {
      await expect(busPublisher().publish([event("hub.iam.user_created")])).rejects.toMatchObject({
        code: "bus.unavailable",
        options: { retryAfter: expect.any(Number) },
      });
      const response = await host.fetch(`/dev/bus/${fixture.FIXTURE_TOPIC}`, {
        method: "POST",
        body: JSON.stringify({ type: "fixture.during_outage", orgid: "org-1" }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    } finally {
      bus.recover();
    }
    const after = event("hub.iam.user_created");
    await busPublisher().publish([after]);
    expect(bus.published().map((m) => m.messageId)).toContain(after.id);
  });

  it("POST /dev/bus/{topic} publishes a CloudEvent (202) that reaches the triggers and the message list", async () => {
    const response = await host.fetch(`/dev/bus/${fixture.FIXTURE_TOPIC}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "hub.iam.user_deactivated", orgid: "org-2", data: { user_id: "u9" } }),
    });
    expect(response.status).toBe(202);
    const published = (await response.json()) as CloudEvent;
    expect(published).toMatchObject({
      specversion: "1.0",
      id: expect.any(String),
      type: "hub.iam.user_deactivated",
    });
    await bus.idle();

    expect(receivedBy("fixtureDeactivations").map((r) => r.input)).toEqual([published]);
    const messages = (await (await host.fetch("/dev/bus/messages")).json()) as { messageId: string }[];
    expect(messages.map((m) => m.messageId)).toContain(published.id);
  });

  it("POST /dev/bus answers 404 for an unknown topic, 400 for bad JSON and 422 without a type", async () => {
    const post = (topic: string, body: string) => host.fetch(`/dev/bus/${topic}`, { method: "POST", body });
    expect((await post("no-such-topic", JSON.stringify({ type: "x", orgid: "o" }))).status).toBe(404);
    expect((await post(fixture.FIXTURE_TOPIC, "{not json")).status).toBe(400);
    const missingType = await post(fixture.FIXTURE_TOPIC, JSON.stringify({ orgid: "o" }));
    expect(missingType.status).toBe(422);
    expect((await problemOf(missingType)).detail).toMatch(/type/);
  });
});
