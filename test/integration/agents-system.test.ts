// System agents over HTTP: read-only, paused per org, kept through an entitlement lapse; overrides; high-impact actions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentsCaller, expectStatus } from "../support/agents-api";
import type { AgentBody, AgentsCaller } from "../support/agents-api";
import { isolationAgent, ticketAgent } from "../support/agents";
import type { TwoOrgs } from "../support/agents-orgs";
import { SYSTEM_IDS, twoOrgs } from "../support/agents-orgs";
import { bootDevHost, problemOf } from "../support/devhost";
import { agentsThatRan, publishAndSettle } from "../support/executions";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import { setEntitlements } from "../support/iam";

describe("Agents API: system agents, overrides, high impact", () => {
  let host: Awaited<ReturnType<typeof bootDevHost>>;
  let world: TwoOrgs;
  beforeAll(async () => {
    host = await bootDevHost();
    world = await twoOrgs(host);
  });
  afterAll(() => host.stop());

  /** Publishes an event of `type` for the org on The One Bus and answers which agents ran for it. */
  const ranFor = async (reader: AgentsCaller, orgId: string, type: string, data: Record<string, unknown>) =>
    agentsThatRan(reader, await publishAndSettle(host, { type, orgid: orgId, data }));

  describe("system agents", () => {
    it("are listed first for every org, each with that org's status", async () => {
      const page = await expectStatus<{ items: AgentBody[] }>(world.adminB.list("?limit=100"), 200);
      expect(page.items.slice(0, SYSTEM_IDS.length).map((agent) => agent.id)).toEqual(SYSTEM_IDS);
      for (const agent of page.items.slice(0, SYSTEM_IDS.length))
        expect(agent).toMatchObject({ org_id: "system", is_system: true, status: "active" });
    });

    it("are read-only: PUT and DELETE answer 403, with or without If-Match", async () => {
      const response = await world.adminA.get("sys-onboard-new-user");
      const agent = await expectStatus(response, 200);
      const etag = response.headers.get("etag")!;
      for (const answer of [
        await world.adminA.replace(agent.id, agent, etag),
        await world.adminA.replace(agent.id, agent),
        await world.adminA.remove(agent.id),
        await world.adminA.remove(agent.id, etag),
      ]) {
        expect(await problemOf(answer)).toMatchObject({ status: 403, code: "agent.system_read_only" });
      }
    });

    it("pause per org: org A's pause never shows in org B, and activate restores it", async () => {
      const paused = await expectStatus(world.adminA.pause("sys-offboard-deactivated-user"), 200);
      expect(paused).toMatchObject({
        id: "sys-offboard-deactivated-user",
        status: "paused",
        org_id: "system",
      });
      expect(await expectStatus(world.technicianA.get("sys-offboard-deactivated-user"), 200)).toMatchObject({
        status: "paused",
      });
      expect(await expectStatus(world.adminB.get("sys-offboard-deactivated-user"), 200)).toMatchObject({
        status: "active",
      });
      const listB = await expectStatus<{ items: AgentBody[] }>(world.adminB.list(), 200);
      expect(listB.items.find((agent) => agent.id === "sys-offboard-deactivated-user")?.status).toBe(
        "active",
      );
      const listA = await expectStatus<{ items: AgentBody[] }>(world.adminA.list(), 200);
      expect(listA.items.find((agent) => agent.id === "sys-offboard-deactivated-user")?.status).toBe(
        "paused",
      );

      const deactivated = { user_id: "u1" };
      expect(await ranFor(world.adminA, world.orgA, "hub.iam.user_deactivated", deactivated)).toEqual([]);
      expect(await ranFor(world.adminB, world.orgB, "hub.iam.user_deactivated", deactivated)).toEqual([
        "sys-offboard-deactivated-user",
      ]);

      expect(await expectStatus(world.adminA.activate("sys-offboard-deactivated-user"), 200)).toMatchObject({
        status: "active",
      });
    });

    it("survive a lapse of the agents entitlement: the pause is kept, nothing runs, and all resumes after", async () => {
      // An org of its own, so the lapse never touches the other tests' orgs.
      const org = await createOrg(host);
      const session = await login(host, org.owner.email, org.owner.password);
      const admin = agentsCaller(host, bearer(await accessToken(host, session, "agents")));
      await expectStatus(admin.pause("sys-review-privilege-escalation"), 200);
      const created = { orgRole: "member" };
      const escalated = { escalation: true };

      expect((await setEntitlements(host, org.orgId, ["psa"])).status).toBe(200);
      expect((await admin.list()).status).toBe(403);
      const duringLapse = [
        await publishAndSettle(host, { type: "hub.iam.user_created", orgid: org.orgId, data: created }),
        await publishAndSettle(host, {
          type: "hub.iam.permission_changed",
          orgid: org.orgId,
          data: escalated,
        }),
      ];

      expect((await setEntitlements(host, org.orgId, ["psa", "agents"])).status).toBe(200);
      const restored = agentsCaller(host, bearer(await accessToken(host, session, "agents")));
      // What ran during the lapse is read now: while it lasts, the Agents API answers no one of the org.
      for (const eventId of duringLapse) expect(await agentsThatRan(restored, eventId)).toEqual([]);
      expect(await expectStatus(restored.get("sys-review-privilege-escalation"), 200)).toMatchObject({
        status: "paused",
      });
      expect(await ranFor(restored, org.orgId, "hub.iam.user_created", created)).toEqual([
        "sys-onboard-new-user",
      ]);
      expect(await ranFor(restored, org.orgId, "hub.iam.permission_changed", escalated)).toEqual([]);
    });
  });

  describe("override_system", () => {
    it("must name system agents that exist", async () => {
      const body = ticketAgent({
        conflict_behavior: "override_system",
        overrides: ["sys-onboard-new-user", "sys-ghost"],
      });
      const problem = await problemOf(await world.adminA.create(body));
      expect(problem).toMatchObject({ status: 422, errors: [{ path: "overrides[1]" }] });
    });

    it("suppresses the named system agent for its own org only", async () => {
      const body = ticketAgent({ conflict_behavior: "override_system", overrides: ["sys-onboard-new-user"] });
      const created = await expectStatus(world.adminB.create(body), 201);
      const newMember = { orgRole: "member" };
      expect(await ranFor(world.adminB, world.orgB, "hub.iam.user_created", newMember)).toEqual([created.id]);
      expect(await ranFor(world.adminA, world.orgA, "hub.iam.user_created", newMember)).toContain(
        "sys-onboard-new-user",
      );
      await expectStatus(world.adminB.pause(created.id), 200);
      expect(await ranFor(world.adminB, world.orgB, "hub.iam.user_created", newMember)).toEqual([
        "sys-onboard-new-user",
      ]);
      expect((await world.adminB.remove(created.id)).status).toBe(204);
    });
  });

  describe("high-impact actions", () => {
    it("are refused until an Admin enables them, and always need a gate before them", async () => {
      const refused = await problemOf(await world.adminB.create(isolationAgent()));
      expect(refused).toMatchObject({ status: 422, errors: [{ path: "steps[1].action" }] });

      const settings = (body: unknown, caller = world.adminB) =>
        caller.request("PUT", "/api/agents/settings", body);
      expect(
        (await problemOf(await settings({ enabled_high_impact_actions: ["psa.create_ticket"] }))).status,
      ).toBe(422);
      expect(
        (
          await problemOf(
            await world.technicianA.request("PUT", "/api/agents/settings", {
              enabled_high_impact_actions: [],
            }),
          )
        ).status,
      ).toBe(403);
      const enabled = await expectStatus<Record<string, unknown>>(
        settings({ enabled_high_impact_actions: ["defend.isolate_device"] }),
        200,
      );
      expect(enabled).toMatchObject({ enabled_high_impact_actions: ["defend.isolate_device"] });
      expect(
        await expectStatus<Record<string, unknown>>(world.adminB.request("GET", "/api/agents/settings"), 200),
      ).toMatchObject(enabled);
      // Org A did not enable it.
      expect((await problemOf(await world.adminA.create(isolationAgent()))).status).toBe(422);

      const created = await expectStatus(world.adminB.create(isolationAgent({ status: "paused" })), 201);
      const [gate, isolate] = isolationAgent().steps;
      const ungated = await problemOf(
        await world.adminB.create(isolationAgent({ steps: [isolate!, gate!] })),
      );
      expect(ungated).toMatchObject({ status: 422, errors: [{ path: "steps[0]" }] });

      await expectStatus(settings({ enabled_high_impact_actions: [] }), 200);
      const reactivate = await problemOf(await world.adminB.activate(created.id));
      expect(reactivate).toMatchObject({ status: 422, errors: [{ path: "steps[1].action" }] });
    });
  });
});
