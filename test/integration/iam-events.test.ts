// Every IAM change publishes its docs/events.md event through the outbox, with its fields and the escalation flag.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type * as Outbox from "../../shared/events/outbox";
import { bootDevHost, builtModule, busOf, timersOf } from "../support/devhost";
import type { CreatedOrg } from "../support/identity";
import { createOrg } from "../support/identity";
import type { IamClient } from "../support/iam";
import { createUser, iamClient, iamEvents, ownerToken } from "../support/iam";

describe("IAM events", () => {
  let host: DevHost;
  let org: CreatedOrg;
  let owner: IamClient;
  beforeAll(async () => {
    host = await bootDevHost();
    org = await createOrg(host, { entitlements: ["psa", "agents", "defend"] });
    owner = iamClient(host, await ownerToken(host, org));
  });
  afterAll(() => host.stop());

  const eventsOf = (userId: string) => iamEvents(host, userId).map((message) => message.body);
  /** The events a step added, after the bus has delivered everything it published. */
  async function step(userId: string, action: () => Promise<Response>, status = 200) {
    const before = eventsOf(userId).length;
    expect((await action()).status).toBe(status);
    await busOf(host).idle();
    return eventsOf(userId).slice(before);
  }

  it("user_created then one access_granted per product, as CloudEvents with Service Bus properties", async () => {
    const user = await createUser(owner, {
      orgRole: "member",
      product_access: { psa: "agent", agents: "technician" },
    });
    const messages = iamEvents(host, user.id);
    expect(messages.map((message) => message.body.type)).toEqual([
      "hub.iam.user_created",
      "hub.iam.access_granted",
      "hub.iam.access_granted",
    ]);
    const [created, agents, psa] = messages.map((message) => message.body);
    expect(created).toEqual({
      specversion: "1.0",
      id: expect.any(String),
      source: "/hub",
      type: "hub.iam.user_created",
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      subject: user.id,
      datacontenttype: "application/json",
      orgid: org.orgId,
      data: {
        user_id: user.id,
        email: user.email,
        firstName: "Una",
        lastName: "User",
        orgRole: "member",
        created_by: org.owner.id,
        version: 1,
      },
    });
    expect(agents!.data).toEqual({
      user_id: user.id,
      product: "agents",
      role: "technician",
      granted_by: org.owner.id,
      version: 1,
    });
    expect(psa!.data).toMatchObject({ product: "psa", role: "agent" });
    for (const message of messages) {
      expect(message).toMatchObject({
        messageId: message.body.id,
        subject: message.body.type,
        contentType: "application/cloudevents+json",
        applicationProperties: { type: message.body.type, org_id: org.orgId },
      });
    }
    expect(new Set(messages.map((message) => message.messageId)).size).toBe(3);
  });

  it("permission_changed on every org-role change; escalation only when the role climbs", async () => {
    const user = await createUser(owner, { orgRole: "viewer" });
    const ladder: [string, boolean][] = [
      ["member", true],
      ["admin", true],
      ["owner", true],
      ["member", false],
      ["viewer", false],
      ["admin", true],
    ];
    let previous = "viewer";
    for (const [orgRole, escalation] of ladder) {
      const events = await step(user.id, () => owner.patch(user.id, { orgRole }));
      expect(events).toHaveLength(1);
      expect(events[0]!.type).toBe("hub.iam.permission_changed");
      expect(events[0]!.data).toEqual({
        user_id: user.id,
        changed_by: org.owner.id,
        before: { orgRole: previous, product_access: {} },
        after: { orgRole, product_access: {} },
        escalation,
        version: expect.any(Number),
      });
      previous = orgRole;
    }
    const versions = eventsOf(user.id).map((event) => event.data.version as number);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it("grants and product-role changes: a role gained is an escalation, a known demotion or a revocation is not", async () => {
    const user = await createUser(owner, { orgRole: "member" });
    const granted = await step(user.id, () => owner.grant(user.id, "agents", "technician"));
    expect(granted.map((event) => event.type)).toEqual([
      "hub.iam.access_granted",
      "hub.iam.permission_changed",
    ]);
    expect(granted[0]!.data).toMatchObject({
      product: "agents",
      role: "technician",
      granted_by: org.owner.id,
    });
    expect(granted[1]!.data).toMatchObject({
      before: { orgRole: "member", product_access: {} },
      after: { orgRole: "member", product_access: { agents: "technician" } },
      escalation: true,
    });

    const promoted = await step(user.id, () => owner.grant(user.id, "agents", "admin"));
    expect(promoted.map((event) => event.type)).toEqual(["hub.iam.permission_changed"]);
    expect(promoted[0]!.data.escalation).toBe(true);
    const demoted = await step(user.id, () => owner.grant(user.id, "agents", "technician"));
    expect(demoted[0]!.data).toMatchObject({
      before: { product_access: { agents: "admin" } },
      after: { product_access: { agents: "technician" } },
      escalation: false,
    });
    // A product whose roles Hub cannot rank: any new role counts as gained.
    await step(user.id, () => owner.grant(user.id, "defend", "analyst"));
    const changed = await step(user.id, () => owner.grant(user.id, "defend", "viewer"));
    expect(changed[0]!.data.escalation).toBe(true);

    expect(await step(user.id, () => owner.grant(user.id, "defend", "viewer"))).toEqual([]);
    const revoked = await step(user.id, () => owner.revoke(user.id, "agents"));
    expect(revoked.map((event) => event.type)).toEqual([
      "hub.iam.access_revoked",
      "hub.iam.permission_changed",
    ]);
    expect(revoked[0]!.data).toEqual({
      user_id: user.id,
      product: "agents",
      role: "technician",
      revoked_by: org.owner.id,
      version: expect.any(Number),
    });
    expect(revoked[1]!.data).toMatchObject({
      after: { product_access: { defend: "viewer" } },
      escalation: false,
    });
    expect(await step(user.id, () => owner.revoke(user.id, "agents"))).toEqual([]);
  });

  it("user_deactivated once; renaming publishes nothing", async () => {
    const user = await createUser(owner);
    expect(await step(user.id, () => owner.patch(user.id, { firstName: "Renamed" }))).toEqual([]);
    const deactivated = await step(user.id, () => owner.deactivate(user.id));
    expect(deactivated).toHaveLength(1);
    expect(deactivated[0]).toMatchObject({
      type: "hub.iam.user_deactivated",
      subject: user.id,
      data: { user_id: user.id, email: user.email, deactivated_by: org.owner.id },
    });
    expect(await step(user.id, () => owner.deactivate(user.id))).toEqual([]);
  });

  it("a change made while the bus is down succeeds; its event waits in the outbox and the relay publishes it", async () => {
    const bus = busOf(host);
    const timers = timersOf(host);
    const { outboxRepository } = builtModule<typeof Outbox>("shared/events/outbox.js");
    const waiting = async (userId: string) =>
      (
        await outboxRepository("identity").query(
          org.orgId,
          { query: "SELECT * FROM c WHERE c.org_id = @org_id AND c.type = 'outbox'" },
          { limit: 100 },
        )
      ).items.filter((doc) => doc.event.data.user_id === userId);
    bus.simulateOutage();
    let userId: string;
    try {
      userId = (await createUser(owner)).id;
      expect(eventsOf(userId)).toEqual([]);
      const kept = await waiting(userId);
      expect(kept.map((doc) => doc.event.type)).toEqual(["hub.iam.user_created"]);
    } finally {
      bus.recover();
    }
    host.clock.advance(10_000);
    await timers.idle();
    await bus.idle();
    expect(eventsOf(userId).map((event) => event.type)).toEqual(["hub.iam.user_created"]);
    expect(await waiting(userId)).toEqual([]);
  });
});
