// The identity subscribers' bookkeeping: handled event ids per org, and malformed messages recorded and completed.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BusHandle } from "../../devhost/bus/extension";
import type { DevHost } from "../../devhost/host";
import type * as Repository from "../../shared/store/repository";
import { bootDevHost, builtModule, busOf } from "../support/devhost";
import type { CreatedOrg } from "../support/identity";
import { createOrg } from "../support/identity";
import type { IamClient } from "../support/iam";
import { createUser, iamClient, iamEvents, ownerToken } from "../support/iam";

describe("identity subscribers", () => {
  let host: DevHost;
  let bus: BusHandle;
  let org: CreatedOrg;
  let owner: IamClient;
  let inbox: Repository.TenantRepository<{ id: string; org_id: string; [field: string]: unknown }>;
  beforeAll(async () => {
    host = await bootDevHost();
    bus = busOf(host);
    org = await createOrg(host);
    owner = iamClient(host, await ownerToken(host, org));
    const { TenantRepository } = builtModule<typeof Repository>("shared/store/repository.js");
    inbox = new TenantRepository("inbox");
  });
  afterAll(() => host.stop());

  const inboxDocs = async (partition: string, type: string) =>
    (
      await inbox.query<Record<string, unknown>>(
        partition,
        {
          query: "SELECT * FROM c WHERE c.org_id = @org_id AND c.type = @type",
          parameters: [{ name: "@type", value: type }],
        },
        { limit: 100 },
      )
    ).items;
  const invocations = (functionName: string, text: string) =>
    host.logs.filter((line) => line.functionName === functionName && line.message.includes(text));

  it("records each handled event id per subscriber in the event's org", async () => {
    const user = await createUser(owner);
    await owner.deactivate(user.id);
    await bus.idle();
    const deactivation = iamEvents(host, user.id).find(
      (m) => m.body.type === "hub.iam.user_deactivated",
    )!.body;
    const processed = await inboxDocs(org.orgId, "processed");
    const forEvent = processed.filter((doc) => doc.event_id === deactivation.id).map((doc) => doc.subscriber);
    expect(forEvent.sort()).toEqual(["psa-sync", "sessions"]);
  });

  it("completes a message that is not a CloudEvent after one delivery, recording why", async () => {
    const messageId = randomUUID();
    bus.send(bus.topic, {
      messageId,
      body: "this is not json",
      applicationProperties: { type: "hub.iam.user_deactivated", org_id: org.orgId },
    });
    await bus.idle();
    expect(bus.deadLetters()).toEqual([]);
    const records = (await inboxDocs("_hub", "malformed")).filter((doc) => doc.message_id === messageId);
    expect(records.map((doc) => doc.subscriber).sort()).toEqual(["psa-sync", "sessions"]);
    expect(records[0]).toMatchObject({
      delivery_count: 1,
      body_excerpt: "this is not json",
      reason: expect.any(String),
    });
    for (const name of ["revokeSessionsOnDeactivation", "syncPsaAgents"]) {
      expect(invocations(name, messageId)).toHaveLength(1);
    }
  });

  it("records a CloudEvent whose data or type the subscriber cannot use in the event's org", async () => {
    const badData = {
      specversion: "1.0",
      id: randomUUID(),
      source: "/hub",
      type: "hub.iam.user_deactivated",
      time: new Date().toISOString(),
      orgid: org.orgId,
      data: { deactivated_by: "someone" },
    };
    bus.send(bus.topic, {
      messageId: badData.id,
      body: badData,
      applicationProperties: { type: badData.type, org_id: org.orgId },
    });
    const wrongType = {
      ...badData,
      id: randomUUID(),
      type: "hub.iam.user_renamed",
      data: { user_id: randomUUID() },
    };
    bus.send(bus.topic, {
      messageId: wrongType.id,
      body: wrongType,
      applicationProperties: { type: "hub.iam.user_deactivated", org_id: org.orgId },
    });
    await bus.idle();
    expect(bus.deadLetters()).toEqual([]);
    const malformed = await inboxDocs(org.orgId, "malformed");
    const about = (id: string) => malformed.filter((doc) => doc.message_id === id);
    expect(about(badData.id)).toHaveLength(2);
    expect(String(about(badData.id)[0]!.reason)).toMatch(/data\.user_id/);
    expect(String(about(wrongType.id)[0]!.reason)).toMatch(/hub\.iam\.user_renamed is not handled/);
  });
});
