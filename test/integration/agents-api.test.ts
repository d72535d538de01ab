// The Agents API over HTTP: create/get/replace/delete with ETags, system agents, per-org pause, override, high impact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as LoadView from "../../shared/agents/load-view";
import type * as Matching from "../../shared/agents/matching";
import { agentsCaller, expectStatus } from "../support/agents-api";
import type { AgentBody, AgentsCaller } from "../support/agents-api";
import { exampleAgent, isolationAgent, ticketAgent } from "../support/agents";
import { bootDevHost, builtModule, problemOf } from "../support/devhost";
import { accessToken, bearer, createOrg, login, userToken } from "../support/identity";

const SYSTEM_IDS = [
  "sys-onboard-new-user",
  "sys-offboard-deactivated-user",
  "sys-review-privilege-escalation",
  "sys-notify-account-locked",
];

describe("Agents API", () => {
  let host: Awaited<ReturnType<typeof bootDevHost>>;
  let adminA: AgentsCaller;
  let technicianA: AgentsCaller;
  let adminB: AgentsCaller;
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    host = await bootDevHost();
    const [a, b] = await Promise.all([createOrg(host), createOrg(host)]);
    orgA = a.orgId;
    orgB = b.orgId;
    const ownerToken = async (owner: { email: string; password: string }) =>
      accessToken(host, await login(host, owner.email, owner.password), "agents");
    adminA = agentsCaller(host, bearer(await ownerToken(a.owner)));
    adminB = agentsCaller(host, bearer(await ownerToken(b.owner)));
    const technician = await userToken(
      host,
      orgA,
      { orgRole: "member", product_access: { agents: "technician" } },
      "agents",
    );
    technicianA = agentsCaller(host, bearer(technician.token));
  });
  afterAll(() => host.stop());

  describe("create and read", () => {
    it("creates the README example: 201 with ETag and Location, and reads it back", async () => {
      const response = await adminA.create(exampleAgent);
      const created = await expectStatus(response, 201);
      expect(created).toMatchObject({
        name: exampleAgent.name,
        org_id: orgA,
        is_system: false,
        status: "active",
        version: 1,
        trigger: exampleAgent.trigger,
      });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      const etag = response.headers.get("etag");
      expect(etag).toMatch(/^".+"$/);
      expect(response.headers.get("location")).toBe(`/api/agents/${created.id}`);
      expect(created).not.toHaveProperty("kind");
      expect(Object.keys(created).filter((key) => key.startsWith("_"))).toEqual([]);

      const read = await adminA.request("GET", response.headers.get("location")!);
      expect(await expectStatus(read, 200)).toEqual(created);
      expect(read.headers.get("etag")).toBe(etag);
      expect(await expectStatus(technicianA.get(created.id), 200)).toEqual(created);
    });

    it("reads a custom agent with one Cosmos request once auth is warm", async () => {
      const created = await expectStatus(adminA.create(ticketAgent()), 201);
      await expectStatus(adminA.get(created.id), 200);
      const before = host.cosmos!.requestCount;
      await expectStatus(adminA.get(created.id), 200);
      expect(host.cosmos!.requestCount - before).toBe(1);
    });

    it("answers 404 for an unknown id, a malformed one, and the settings document's id", async () => {
      for (const id of [
        "00000000-0000-4000-8000-000000000000",
        "../../x",
        "agents-settings",
        "x".repeat(500),
      ]) {
        const problem = await problemOf(await adminA.get(id));
        expect(problem).toMatchObject({ status: 404 });
      }
    });
  });

  describe("replace and delete", () => {
    it("needs If-Match (428), refuses a stale one (412), and bumps the version", async () => {
      const response = await adminA.create(ticketAgent());
      const created = await expectStatus(response, 201);
      const etag = response.headers.get("etag")!;
      const changed = { ...created, name: "Renamed" };
      expect((await problemOf(await adminA.replace(created.id, changed))).status).toBe(428);
      expect((await problemOf(await adminA.replace(created.id, changed, '"stale"'))).status).toBe(412);
      expect((await problemOf(await adminA.replace(created.id, changed, `W/${etag}`))).status).toBe(412);

      const replaced = await adminA.replace(created.id, changed, etag);
      const body = await expectStatus(replaced, 200);
      expect(body).toMatchObject({
        name: "Renamed",
        version: 2,
        created_at: created.created_at,
        org_id: orgA,
      });
      expect(replaced.headers.get("etag")).not.toBe(etag);
      expect((await problemOf(await adminA.replace(created.id, changed, etag))).status).toBe(412);
    });

    it("lets exactly one of two writers holding the same ETag win", async () => {
      const response = await adminA.create(ticketAgent());
      const created = await expectStatus(response, 201);
      const etag = response.headers.get("etag")!;
      const answers = await Promise.all(
        ["First", "Second"].map((name) => adminA.replace(created.id, { ...created, name }, etag)),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
      const winner = await answers.find((answer) => answer.status === 200)!.json();
      expect(await expectStatus(adminA.get(created.id), 200)).toMatchObject({
        name: winner.name,
        version: 2,
      });
    });

    it("deletes (204), then answers 404; a stale If-Match on delete is 412", async () => {
      const response = await adminA.create(ticketAgent());
      const created = await expectStatus(response, 201);
      const etag = response.headers.get("etag")!;
      await expectStatus(adminA.pause(created.id), 200);
      expect((await problemOf(await adminA.remove(created.id, etag))).status).toBe(412);
      expect((await adminA.remove(created.id)).status).toBe(204);
      expect((await problemOf(await adminA.get(created.id))).status).toBe(404);
      expect((await problemOf(await adminA.remove(created.id))).status).toBe(404);
    });

    it("pauses and activates a custom agent, bumping the version only when the status changes", async () => {
      const created = await expectStatus(adminA.create(ticketAgent()), 201);
      expect(await expectStatus(adminA.pause(created.id), 200)).toMatchObject({
        status: "paused",
        version: 2,
      });
      expect(await expectStatus(adminA.pause(created.id), 200)).toMatchObject({
        status: "paused",
        version: 2,
      });
      expect(await expectStatus(adminA.activate(created.id), 200)).toMatchObject({
        status: "active",
        version: 3,
      });
    });
  });

  describe("system agents", () => {
    it("are listed first for every org, each with that org's status", async () => {
      const page = await expectStatus<{ items: AgentBody[] }>(adminB.list("?limit=100"), 200);
      expect(page.items.slice(0, SYSTEM_IDS.length).map((agent) => agent.id)).toEqual(SYSTEM_IDS);
      for (const agent of page.items.slice(0, SYSTEM_IDS.length))
        expect(agent).toMatchObject({ org_id: "system", is_system: true, status: "active" });
    });

    it("are read-only: PUT and DELETE answer 403, with or without If-Match", async () => {
      const response = await adminA.get("sys-onboard-new-user");
      const agent = await expectStatus(response, 200);
      const etag = response.headers.get("etag")!;
      for (const answer of [
        await adminA.replace(agent.id, agent, etag),
        await adminA.replace(agent.id, agent),
        await adminA.remove(agent.id),
        await adminA.remove(agent.id, etag),
      ]) {
        expect(await problemOf(answer)).toMatchObject({ status: 403, code: "agent.system_read_only" });
      }
    });

    it("pause per org: org A's pause never shows in org B, and activate restores it", async () => {
      const paused = await expectStatus(adminA.pause("sys-offboard-deactivated-user"), 200);
      expect(paused).toMatchObject({
        id: "sys-offboard-deactivated-user",
        status: "paused",
        org_id: "system",
      });
      expect(await expectStatus(technicianA.get("sys-offboard-deactivated-user"), 200)).toMatchObject({
        status: "paused",
      });
      expect(await expectStatus(adminB.get("sys-offboard-deactivated-user"), 200)).toMatchObject({
        status: "active",
      });
      const listB = await expectStatus<{ items: AgentBody[] }>(adminB.list(), 200);
      expect(listB.items.find((agent) => agent.id === "sys-offboard-deactivated-user")?.status).toBe(
        "active",
      );
      const listA = await expectStatus<{ items: AgentBody[] }>(adminA.list(), 200);
      expect(listA.items.find((agent) => agent.id === "sys-offboard-deactivated-user")?.status).toBe(
        "paused",
      );

      const { loadOrgAgentsView } = builtModule<typeof LoadView>("shared/agents/load-view.js");
      const { agentsForEvent } = builtModule<typeof Matching>("shared/agents/matching.js");
      const event = (org: string) => ({
        type: "hub.iam.user_deactivated",
        orgid: org,
        data: { user_id: "u1" },
      });
      const entitled = ["agents", "psa"];
      expect(agentsForEvent(await loadOrgAgentsView(orgA, entitled), event(orgA))).toEqual([]);
      expect(agentsForEvent(await loadOrgAgentsView(orgB, entitled), event(orgB)).map((a) => a.id)).toEqual([
        "sys-offboard-deactivated-user",
      ]);

      expect(await expectStatus(adminA.activate("sys-offboard-deactivated-user"), 200)).toMatchObject({
        status: "active",
      });
    });

    it("survive a lapse of the agents entitlement: the pause is kept, nothing runs, and all resumes after", async () => {
      await expectStatus(adminA.pause("sys-review-privilege-escalation"), 200);
      const { loadOrgAgentsView } = builtModule<typeof LoadView>("shared/agents/load-view.js");
      const { agentsForEvent } = builtModule<typeof Matching>("shared/agents/matching.js");
      const created = { type: "hub.iam.user_created", orgid: orgA, data: { orgRole: "member" } };
      const escalated = { type: "hub.iam.permission_changed", orgid: orgA, data: { escalation: true } };
      const lapsed = await loadOrgAgentsView(orgA, ["psa"]);
      expect(agentsForEvent(lapsed, created)).toEqual([]);
      expect(lapsed.systemStatus).toMatchObject({ "sys-review-privilege-escalation": "paused" });
      const restored = await loadOrgAgentsView(orgA, ["psa", "agents"]);
      expect(agentsForEvent(restored, created).map((a) => a.id)).toContain("sys-onboard-new-user");
      expect(agentsForEvent(restored, escalated)).toEqual([]);
      await expectStatus(adminA.activate("sys-review-privilege-escalation"), 200);
    });
  });

  describe("override_system", () => {
    it("must name system agents that exist", async () => {
      const body = ticketAgent({
        conflict_behavior: "override_system",
        overrides: ["sys-onboard-new-user", "sys-ghost"],
      });
      const problem = await problemOf(await adminA.create(body));
      expect(problem).toMatchObject({ status: 422, errors: [{ path: "overrides[1]" }] });
    });

    it("suppresses the named system agent for its own org only", async () => {
      const body = ticketAgent({ conflict_behavior: "override_system", overrides: ["sys-onboard-new-user"] });
      const created = await expectStatus(adminB.create(body), 201);
      const { loadOrgAgentsView } = builtModule<typeof LoadView>("shared/agents/load-view.js");
      const { agentsForEvent } = builtModule<typeof Matching>("shared/agents/matching.js");
      const event = (org: string) => ({
        type: "hub.iam.user_created",
        orgid: org,
        data: { orgRole: "member" },
      });
      const entitled = ["agents", "psa"];
      const inB = agentsForEvent(await loadOrgAgentsView(orgB, entitled), event(orgB)).map((a) => a.id);
      expect(inB).toContain(created.id);
      expect(inB).not.toContain("sys-onboard-new-user");
      const inA = agentsForEvent(await loadOrgAgentsView(orgA, entitled), event(orgA)).map((a) => a.id);
      expect(inA).toContain("sys-onboard-new-user");
      await expectStatus(adminB.pause(created.id), 200);
      const afterPause = agentsForEvent(await loadOrgAgentsView(orgB, entitled), event(orgB)).map(
        (a) => a.id,
      );
      expect(afterPause).toContain("sys-onboard-new-user");
      expect((await adminB.remove(created.id)).status).toBe(204);
    });
  });

  describe("high-impact actions", () => {
    it("are refused until an Admin enables them, and always need a gate before them", async () => {
      const refused = await problemOf(await adminB.create(isolationAgent()));
      expect(refused).toMatchObject({ status: 422, errors: [{ path: "steps[1].action" }] });

      const settings = (body: unknown, caller = adminB) =>
        caller.request("PUT", "/api/agents/settings", body);
      expect(
        (await problemOf(await settings({ enabled_high_impact_actions: ["psa.create_ticket"] }))).status,
      ).toBe(422);
      expect(
        (
          await problemOf(
            await technicianA.request("PUT", "/api/agents/settings", { enabled_high_impact_actions: [] }),
          )
        ).status,
      ).toBe(403);
      const enabled = await expectStatus<Record<string, unknown>>(
        settings({ enabled_high_impact_actions: ["defend.isolate_device"] }),
        200,
      );
      expect(enabled).toMatchObject({ enabled_high_impact_actions: ["defend.isolate_device"] });
      expect(
        await expectStatus<Record<string, unknown>>(adminB.request("GET", "/api/agents/settings"), 200),
      ).toMatchObject(enabled);
      // Org A did not enable it.
      expect((await problemOf(await adminA.create(isolationAgent()))).status).toBe(422);

      const created = await expectStatus(adminB.create(isolationAgent({ status: "paused" })), 201);
      const [gate, isolate] = isolationAgent().steps;
      const ungated = await problemOf(await adminB.create(isolationAgent({ steps: [isolate!, gate!] })));
      expect(ungated).toMatchObject({ status: 422, errors: [{ path: "steps[0]" }] });

      await expectStatus(settings({ enabled_high_impact_actions: [] }), 200);
      const reactivate = await problemOf(await adminB.activate(created.id));
      expect(reactivate).toMatchObject({ status: 422, errors: [{ path: "steps[1].action" }] });
    });
  });

  describe("across orgs", () => {
    it("answers 404 to every operation on another org's agent, and leaves it untouched", async () => {
      const response = await adminA.create(ticketAgent({ name: "Org A only" }));
      const agent = await expectStatus(response, 201);
      const etag = response.headers.get("etag")!;
      const attempts: [string, Promise<Response>][] = [
        ["GET", adminB.get(agent.id)],
        ["PUT", adminB.replace(agent.id, { ...agent, name: "Taken" }, etag)],
        ["PUT *", adminB.replace(agent.id, { ...agent, name: "Taken" }, "*")],
        ["DELETE", adminB.remove(agent.id)],
        ["DELETE If-Match", adminB.remove(agent.id, etag)],
        ["pause", adminB.pause(agent.id)],
        ["activate", adminB.activate(agent.id)],
      ];
      for (const [name, pending] of attempts) {
        const problem = await problemOf(await pending);
        expect(problem, name).toMatchObject({ status: 404, code: "resource.not_found" });
      }
      const listB = await expectStatus<{ items: AgentBody[] }>(adminB.list("?limit=100"), 200);
      expect(listB.items.map((item) => item.id)).not.toContain(agent.id);
      const after = await adminA.get(agent.id);
      expect(await expectStatus(after, 200)).toEqual(agent);
      expect(after.headers.get("etag")).toBe(etag);
    });

    it("ignores an org_id in the body: the org comes from the credential", async () => {
      const created = await expectStatus(adminA.create({ ...ticketAgent(), org_id: orgB }), 201);
      expect(created.org_id).toBe(orgA);
      expect((await problemOf(await adminB.get(created.id))).status).toBe(404);
    });
  });

  describe("the list", () => {
    it("pages through system and custom agents with limit and continuation, each exactly once", async () => {
      const mine = await Promise.all(
        Array.from({ length: 7 }, (_, i) =>
          expectStatus(adminB.create(ticketAgent({ name: `Paged ${i}` })), 201),
        ),
      );
      const seen: string[] = [];
      let continuation: string | null = null;
      let pages = 0;
      do {
        const query: string = `?limit=3${continuation ? `&continuation=${encodeURIComponent(continuation)}` : ""}`;
        const page: { items: AgentBody[]; continuation: string | null } = await expectStatus(
          adminB.list(query),
          200,
        );
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((agent) => agent.id));
        continuation = page.continuation;
        pages++;
      } while (continuation && pages < 50);
      expect(seen.slice(0, SYSTEM_IDS.length)).toEqual(SYSTEM_IDS);
      expect(new Set(seen).size).toBe(seen.length);
      for (const agent of mine) expect(seen).toContain(agent.id);
      const all = await expectStatus<{ items: AgentBody[]; continuation: string | null }>(
        adminB.list("?limit=100"),
        200,
      );
      expect(all.items.map((agent) => agent.id)).toEqual(seen);
      expect(all.items.every((agent) => agent.is_system || agent.org_id === orgB)).toBe(true);
    });

    it("defaults to 25 and refuses limits outside 1–100 and foreign or forged continuations (422)", async () => {
      await Promise.all(Array.from({ length: 25 }, () => expectStatus(adminA.create(ticketAgent()), 201)));
      const page = await expectStatus<{ items: AgentBody[]; continuation: string }>(adminA.list(), 200);
      expect(page.items).toHaveLength(25);
      expect(page.continuation).toEqual(expect.any(String));
      for (const query of ["?limit=0", "?limit=101", "?limit=abc", "?limit=2.5", "?continuation=garbage"]) {
        const problem = await problemOf(await adminA.list(query));
        expect(problem).toMatchObject({ status: 422, errors: [{ path: expect.stringMatching(/^query\./) }] });
      }
      const foreign = await problemOf(
        await adminB.list(`?continuation=${encodeURIComponent(page.continuation)}`),
      );
      expect(foreign).toMatchObject({ status: 422, errors: [{ path: "query.continuation" }] });
    });
  });
});
