// The devhost bus feeds cardinality "many" functions as the Service Bus extension does: batches, arrays, settlement.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BusHandle } from "../../devhost/bus/extension";
import type { DevHost } from "../../devhost/host";
import type { CloudEvent } from "../../shared/events/cloud-event";
import type * as CloudEventModule from "../../shared/events/cloud-event";
import type * as Fixture from "../fixtures/bus-fixture";
import { bootDevHost, builtModule, builtPath, busOf } from "../support/devhost";

const fixture = builtModule<typeof Fixture>("test/fixtures/bus-fixture.js");
const { newCloudEvent } = builtModule<typeof CloudEventModule>("shared/events/cloud-event.js");

const event = (type: string, data: Record<string, unknown> = {}): CloudEvent =>
  newCloudEvent({ type, orgid: "org-1", data });

const receivedBy = (functionName: string) => fixture.received.filter((r) => r.functionName === functionName);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("devhost bus, cardinality many", () => {
  let host: DevHost;
  let bus: BusHandle;

  beforeAll(async () => {
    host = await bootDevHost({
      extraFunctionFiles: [builtPath("test/fixtures/bus-batch-app.js")],
      busTopologies: [fixture.batchTopology],
    });
    bus = busOf(host);
  });
  afterAll(() => host.stop());

  /** Publishes while the bus holds deliveries, so every message is ready at once, then waits until all settled. */
  async function deliverTogether(destination: string, events: CloudEvent[]): Promise<void> {
    bus.pause();
    for (const e of events) bus.publish(destination, e);
    bus.release();
    await bus.idle();
  }
  beforeEach(async () => {
    await bus.idle();
    fixture.received.length = 0;
    fixture.batchRuns.most = 0;
  });

  it("delivers the ready messages as one invocation: the bodies and the extension's …Array metadata", async () => {
    bus.pause();
    const created = event("hub.iam.user_created", { user_id: "u1" });
    const granted = event("hub.iam.access_granted", { user_id: "u1", product: "psa" });
    bus.publish(fixture.BATCH_TOPIC, created);
    // Not a CloudEvent: JSON without a content type or subject, with its own application properties.
    const plain = bus.send(fixture.BATCH_TOPIC, {
      body: { hello: "world", at: "2026-12-02T08:00:00.120Z" },
      applicationProperties: { type: "x" },
    });
    bus.publish(fixture.BATCH_TOPIC, granted);
    bus.release();
    await bus.idle();

    const [batch, ...others] = receivedBy("fixtureBatches");
    expect(others).toEqual([]);
    // Json.NET reads each body and the host writes it back: date strings lose their trailing fraction zeros.
    const [first, second, third] = batch!.input as Record<string, unknown>[];
    expect(second).toEqual({ hello: "world", at: "2026-12-02T08:00:00.12Z" });
    for (const [got, sent] of [
      [first, created],
      [third, granted],
    ] as const) {
      expect(got).toEqual({ ...sent, time: expect.any(String) });
      expect(Date.parse(String(got!.time))).toBe(Date.parse(sent.time));
    }
    const metadata = batch!.metadata!;
    expect(metadata.messageIdArray).toEqual([created.id, plain.messageId, granted.id]);
    expect(metadata.deliveryCountArray).toEqual([1, 1, 1]);
    expect(metadata.applicationPropertiesArray).toEqual([
      { type: "hub.iam.user_created", org_id: "org-1" },
      { type: "x" },
      { type: "hub.iam.access_granted", org_id: "org-1" },
    ]);
    expect(metadata.userPropertiesArray).toEqual(metadata.applicationPropertiesArray);
    // As the host's string arrays: a message without the field is left out, not null.
    expect(metadata.subjectArray).toEqual(["hub.iam.user_created", "hub.iam.access_granted"]);
    expect(metadata.labelArray).toEqual(metadata.subjectArray);
    expect(metadata.contentTypeArray).toEqual([
      "application/cloudevents+json",
      "application/cloudevents+json",
    ]);
    expect(metadata.correlationIdArray).toEqual([]);
    const sequence = metadata.sequenceNumberArray as number[];
    expect(sequence).toHaveLength(3);
    expect([...sequence].sort((a, b) => a - b)).toEqual(sequence);
    const locks = metadata.lockTokenArray as string[];
    expect(locks.every((token) => UUID.test(token))).toBe(true);
    expect(new Set(locks).size).toBe(3);
    for (const name of ["enqueuedTimeUtcArray", "enqueuedTimeArray", "expiresAtUtcArray", "expiresAtArray"])
      expect(metadata[name]).toHaveLength(3);
    const enqueued = Date.parse(String((metadata.enqueuedTimeUtcArray as string[])[0]));
    expect(Math.abs(enqueued - host.clock.now())).toBeLessThan(5_000);
    // The single-message names belong to cardinality "one" only.
    expect(metadata).not.toHaveProperty("messageId");
    expect(metadata).not.toHaveProperty("deliveryCount");
  });

  it("binds bodies as strings with dataType string: text as sent, JSON parsed, empty bodies left out", async () => {
    bus.pause();
    const created = event("hub.iam.user_created");
    bus.publish(fixture.BATCH_TOPIC, created);
    // (The default-bound batch function cannot bind the text: see the next test.)
    bus.send(fixture.BATCH_TOPIC, { body: "plain text", applicationProperties: { type: "x" } });
    bus.send(fixture.BATCH_TOPIC, { body: "", applicationProperties: { type: "x" } });
    bus.release();
    await bus.idle();

    const [batch, ...others] = receivedBy("fixtureStringBatches");
    expect(others).toEqual([]);
    expect(batch!.input).toEqual([created, "plain text"]);
    expect(batch!.metadata?.messageIdArray).toHaveLength(3);
  });

  it("fails a batch the host cannot bind (a body that is not JSON) before the handler runs, until dead-lettered", async () => {
    bus.pause();
    const good = event("hub.iam.user_created");
    bus.publish(fixture.BATCH_TOPIC, good);
    const text = bus.send(fixture.BATCH_TOPIC, { body: "not json", applicationProperties: { type: "x" } });
    bus.release();
    await bus.idle();

    expect(receivedBy("fixtureBatches")).toEqual([]);
    const ids = new Set([good.id, text.messageId]);
    const dead = bus
      .deadLetters()
      .filter((d) => d.functionName === "fixtureBatches" && ids.has(d.message.messageId));
    expect(dead.map((d) => d.message.messageId).sort()).toEqual([good.id, text.messageId].sort());
    for (const record of dead)
      expect(record).toMatchObject({
        subscription: "batches",
        deliveryCount: 10,
        lastError: expect.stringContaining("Json.NET"),
      });
    // The same messages, one per invocation, reach the cardinality one function as text and as the event.
    expect(receivedBy("fixtureSingles").map((r) => r.input)).toEqual(
      expect.arrayContaining([good, "not json"]),
    );
  });

  it("fails a body nested deeper than Json.NET's MaxDepth (64) as the host does, and binds one at the limit", async () => {
    const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
    const atLimit = bus.send(fixture.BATCH_TOPIC, { body: nested(64), applicationProperties: { type: "x" } });
    await bus.idle();
    const tooDeep = bus.send(fixture.BATCH_TOPIC, { body: nested(65), applicationProperties: { type: "x" } });
    await bus.idle();

    const batches = receivedBy("fixtureBatches");
    expect(batches.map((r) => r.metadata?.messageIdArray)).toEqual([[atLimit.messageId]]);
    const dead = bus.deadLetters().filter((d) => d.functionName === "fixtureBatches");
    expect(dead.filter((d) => d.message.messageId === tooDeep.messageId)).toEqual([
      expect.objectContaining({ deliveryCount: 10, lastError: expect.stringContaining("MaxDepth of 64") }),
    ]);
  });

  it("leaves cardinality one unchanged: a function on the same messages gets one per invocation", async () => {
    const sent = [event("fixture.a"), event("fixture.b"), event("fixture.c")];
    await deliverTogether(fixture.BATCH_TOPIC, sent);

    const singles = receivedBy("fixtureSingles");
    expect(singles.map((r) => r.input)).toEqual(expect.arrayContaining(sent));
    expect(singles).toHaveLength(3);
    for (const single of singles) {
      expect(single.metadata).toMatchObject({ messageId: (single.input as CloudEvent).id, deliveryCount: 1 });
      expect(single.metadata).not.toHaveProperty("messageIdArray");
    }
    expect(receivedBy("fixtureBatches").map((r) => (r.input as unknown[]).length)).toEqual([3]);
  });

  it("caps a batch at host.json's maxMessageBatchSize and runs one batch at a time per function", async () => {
    const hostJson = JSON.parse(readFileSync(join(host.appRoot, "host.json"), "utf8")) as {
      extensions: { serviceBus: { maxMessageBatchSize: number } };
    };
    const { maxMessageBatchSize } = hostJson.extensions.serviceBus;
    expect(maxMessageBatchSize).toBe(100);
    const sent = Array.from({ length: maxMessageBatchSize + 1 }, (_, i) => event("fixture.many", { i }));
    await deliverTogether(fixture.BATCH_TOPIC, sent);

    const batches = receivedBy("fixtureBatches").map((r) => r.input as CloudEvent[]);
    expect(batches.map((batch) => batch.length)).toEqual([maxMessageBatchSize, 1]);
    expect(batches.flat().map((e) => e.id)).toEqual(sent.map((e) => e.id));
    expect(fixture.batchRuns.most).toBe(1);
  });

  it("abandons every message of a batch that throws: each comes back with deliveryCount + 1", async () => {
    const sent = [event("fixture.flaky.1"), event("fixture.flaky.2")];
    await deliverTogether(fixture.FLAKY_BATCH_QUEUE, sent);

    const runs = receivedBy("fixtureFlakyBatch");
    expect(runs.map((r) => r.metadata?.deliveryCountArray)).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(
      runs.every((r) => (r.input as CloudEvent[]).map((e) => e.id).join() === sent.map((e) => e.id).join()),
    ).toBe(true);
    const ids = new Set(sent.map((e) => e.id));
    expect(bus.deadLetters().filter((d) => ids.has(d.message.messageId))).toEqual([]);
  });

  it("dead-letters each message of a failing batch after its 10th delivery, with the broker's reason", async () => {
    const sent = [event("fixture.doomed.1"), event("fixture.doomed.2")];
    await deliverTogether(fixture.DOOMED_BATCH_QUEUE, sent);

    expect(receivedBy("fixtureDoomedBatch").map((r) => r.metadata?.deliveryCountArray)).toEqual(
      Array.from({ length: 10 }, (_, i) => [i + 1, i + 1]),
    );
    const ids = new Set(sent.map((e) => e.id));
    const dead = bus.deadLetters().filter((d) => ids.has(d.message.messageId));
    expect(dead.map((d) => d.message.messageId).sort()).toEqual([...ids].sort());
    for (const record of dead)
      expect(record).toMatchObject({
        entity: fixture.DOOMED_BATCH_QUEUE,
        functionName: "fixtureDoomedBatch",
        deliveryCount: 10,
        deadLetterReason: "MaxDeliveryCountExceeded",
        lastError: expect.stringContaining("this batch handler always fails"),
      });
  });
});
