// Login events on The One Bus through the transactional outbox: published at once, or relayed after a bus outage.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BusHandle } from "../../devhost/bus/extension";
import type { DevHost } from "../../devhost/host";
import type { TimersHandle } from "../../devhost/timers/extension";
import type { CloudEvent } from "../../shared/events/cloud-event";
import { bootDevHost } from "../support/devhost";
import {
  createOrg,
  createUserWithPassword,
  deactivateUser,
  MANY_SIGN_INS_MS,
  rememberSecret,
} from "../support/identity";
import type { CreatedOrg } from "../support/identity";

describe("login events", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  let bus: BusHandle;
  let timers: TimersHandle;
  let org: CreatedOrg;
  const attempt = (email: string, password: string) =>
    host.fetch("/api/auth/login", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "events-test/1.0",
        // A caller's own entries are never trusted: the address is the one the front end saw (docs/auth.md).
        "x-forwarded-for": "203.0.113.7:50123, 10.0.0.1",
      },
      body: JSON.stringify({ email, password: rememberSecret(password) }),
    });
  const loginEvents = () =>
    bus
      .published()
      .filter((message) => String(message.subject).startsWith("hub.auth."))
      .map((message) => ({ message, event: message.body as CloudEvent }));

  beforeAll(async () => {
    host = await bootDevHost();
    bus = host.services.bus as BusHandle;
    timers = host.services.timers as TimersHandle;
    org = await createOrg(host);
  });
  afterAll(() => host.stop());

  it("publishes login_success and login_failed with their data, as CloudEvents with the bus properties", async () => {
    expect((await attempt(org.owner.email, org.owner.password)).status).toBe(200);
    expect((await attempt(org.owner.email, "wrong password!")).status).toBe(401);
    expect((await attempt("nobody@example.com", "wrong password!")).status).toBe(401);
    const events = loginEvents();
    expect(events.map(({ event }) => [event.type, event.data.reason])).toEqual([
      ["hub.auth.login_success", undefined],
      ["hub.auth.login_failed", "bad_credentials"],
      ["hub.auth.login_failed", "bad_credentials"],
    ]);
    const [success, failed, unknown] = events;
    expect(success!.event).toMatchObject({
      specversion: "1.0",
      source: "/hub",
      orgid: org.orgId,
      datacontenttype: "application/json",
      data: {
        user_id: org.owner.id,
        email: org.owner.email,
        ip: "127.0.0.1",
        user_agent: "events-test/1.0",
      },
    });
    expect(success!.message).toMatchObject({
      messageId: success!.event.id,
      subject: "hub.auth.login_success",
      contentType: "application/cloudevents+json",
      applicationProperties: { type: "hub.auth.login_success", org_id: org.orgId },
    });
    expect(failed!.event.data).toEqual({
      email: org.owner.email,
      reason: "bad_credentials",
      lock_started: false,
      ip: "127.0.0.1",
      user_agent: "events-test/1.0",
    });
    // An email with no user has no org: its event says so with the global pseudo-org.
    expect(unknown!.event).toMatchObject({ orgid: "_hub", data: { email: "nobody@example.com" } });
    for (const { event } of events) expect(JSON.stringify(event)).not.toContain("wrong password!");
  });

  it(
    "names the reason: locked and deactivated",
    async () => {
      const locked = await createOrg(host);
      for (let i = 0; i < 6; i++) await attempt(locked.owner.email, "wrong password!");
      const reasons = loginEvents()
        .filter(({ event }) => event.data.email === locked.owner.email)
        .map(({ event }) => event.data.reason);
      expect(reasons).toEqual([...Array(5).fill("bad_credentials"), "locked"]);

      const gone = await createUserWithPassword(host, org, { orgRole: "member" });
      await deactivateUser(host, org, gone.id);
      expect((await attempt(gone.email, gone.password)).status).toBe(403);
      const last = loginEvents().at(-1)!.event;
      expect(last).toMatchObject({
        type: "hub.auth.login_failed",
        orgid: org.orgId,
        data: { reason: "deactivated" },
      });
    },
    MANY_SIGN_INS_MS,
  );

  it("loses nothing while the bus is down: logins still answer, and the relay publishes later", async () => {
    const before = new Set(bus.published().map((message) => message.messageId));
    bus.simulateOutage();
    try {
      expect((await attempt(org.owner.email, org.owner.password)).status).toBe(200);
      expect((await attempt(org.owner.email, "wrong password!")).status).toBe(401);
      expect((await attempt("ghost@example.com", "wrong password!")).status).toBe(401);
      expect((await attempt(org.owner.email, org.owner.password)).status).toBe(200);
      host.clock.advance(10_000);
      await timers.idle();
      expect(bus.published().filter((message) => !before.has(message.messageId))).toEqual([]);
    } finally {
      bus.recover();
    }
    host.clock.advance(10_000);
    await timers.idle();
    await bus.idle();
    const relayed = bus.published().filter((message) => !before.has(message.messageId));
    expect(relayed.map((message) => message.subject).sort()).toEqual([
      "hub.auth.login_failed",
      "hub.auth.login_failed",
      "hub.auth.login_success",
      "hub.auth.login_success",
    ]);
    expect(new Set(relayed.map((message) => message.messageId)).size).toBe(4);
    // The outbox is empty again: another relay run publishes nothing more.
    host.clock.advance(5 * 60_000);
    await timers.idle();
    expect(bus.published().filter((message) => !before.has(message.messageId))).toHaveLength(4);
  });
});
