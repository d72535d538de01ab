// The Agents API over HTTP: create/get/replace/delete with ETags, the cross-org matrix, and the paged list.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectStatus } from "../support/agents-api";
import type { AgentBody } from "../support/agents-api";
import { exampleAgent, ticketAgent } from "../support/agents";
import type { TwoOrgs } from "../support/agents-orgs";
import { SYSTEM_IDS, twoOrgs } from "../support/agents-orgs";
import { bootDevHost, problemOf } from "../support/devhost";

describe("Agents API", () => {
  let host: Awaited<ReturnType<typeof bootDevHost>>;
  let world: TwoOrgs;
  beforeAll(async () => {
    host = await bootDevHost();
    world = await twoOrgs(host);
  });
  afterAll(() => host.stop());

  describe("create and read", () => {
    it("creates the README example: 201 with ETag and Location, and reads it back", async () => {
      const response = await world.adminA.create(exampleAgent);
      const created = await expectStatus(response, 201);
      expect(created).toMatchObject({
        name: exampleAgent.name,
        org_id: world.orgA,
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

      const read = await world.adminA.request("GET", response.headers.get("location")!);
      expect(await expectStatus(read, 200)).toEqual(created);
      expect(read.headers.get("etag")).toBe(etag);
      expect(await expectStatus(world.technicianA.get(created.id), 200)).toEqual(created);
    });

    it("reads a custom agent with one Cosmos request once auth is warm", async () => {
      const created = await expectStatus(world.adminA.create(ticketAgent()), 201);
      await expectStatus(world.adminA.get(created.id), 200);
      const before = host.cosmos!.requestCount;
      await expectStatus(world.adminA.get(created.id), 200);
      expect(host.cosmos!.requestCount - before).toBe(1);
    });

    it("answers 404 for an unknown id, a malformed one, and the settings document's id", async () => {
      for (const id of [
        "00000000-0000-4000-8000-000000000000",
        "../../x",
        "agents-settings",
        "x".repeat(500),
      ]) {
        const problem = await problemOf(await world.adminA.get(id));
        expect(problem).toMatchObject({ status: 404 });
      }
    });
  });

  describe("replace and delete", () => {
    it("needs If-Match (428), refuses a stale one (412), and bumps the version", async () => {
      const response = await world.adminA.create(ticketAgent());
      const created = await expectStatus(response, 201);
      const etag = response.headers.get("etag")!;
      const changed = { ...created, name: "Renamed" };
      expect((await problemOf(await world.adminA.replace(created.id, changed))).status).toBe(428);
      expect((await problemOf(await world.adminA.replace(created.id, changed, '"stale"'))).status).toBe(412);
      expect((await problemOf(await world.adminA.replace(created.id, changed, `W/${etag}`))).status).toBe(
        412,
      );

      const replaced = await world.adminA.replace(created.id, changed, etag);
      const body = await expectStatus(replaced, 200);
      expect(body).toMatchObject({
        name: "Renamed",
        version: 2,
        created_at: created.created_at,
        org_id: world.orgA,
      });
      expect(replaced.headers.get("etag")).not.toBe(etag);
      expect((await problemOf(await world.adminA.replace(created.id, changed, etag))).status).toBe(412);
    });

    it("lets exactly one of two writers holding the same ETag win", async () => {
      const response = await world.adminA.create(ticketAgent());
      const created = await expectStatus(response, 201);
      const etag = response.headers.get("etag")!;
      const answers = await Promise.all(
        ["First", "Second"].map((name) => world.adminA.replace(created.id, { ...created, name }, etag)),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
      const winner = await answers.find((answer) => answer.status === 200)!.json();
      expect(await expectStatus(world.adminA.get(created.id), 200)).toMatchObject({
        name: winner.name,
        version: 2,
      });
    });

    it("deletes (204), then answers 404; a stale If-Match on delete is 412", async () => {
      const response = await world.adminA.create(ticketAgent());
      const created = await expectStatus(response, 201);
      const etag = response.headers.get("etag")!;
      await expectStatus(world.adminA.pause(created.id), 200);
      expect((await problemOf(await world.adminA.remove(created.id, etag))).status).toBe(412);
      expect((await world.adminA.remove(created.id)).status).toBe(204);
      expect((await problemOf(await world.adminA.get(created.id))).status).toBe(404);
      expect((await problemOf(await world.adminA.remove(created.id))).status).toBe(404);
    });

    it("pauses and activates a custom agent, bumping the version only when the status changes", async () => {
      const created = await expectStatus(world.adminA.create(ticketAgent()), 201);
      expect(await expectStatus(world.adminA.pause(created.id), 200)).toMatchObject({
        status: "paused",
        version: 2,
      });
      expect(await expectStatus(world.adminA.pause(created.id), 200)).toMatchObject({
        status: "paused",
        version: 2,
      });
      expect(await expectStatus(world.adminA.activate(created.id), 200)).toMatchObject({
        status: "active",
        version: 3,
      });
    });
  });

  describe("across orgs", () => {
    it("answers 404 to every operation on another org's agent, and leaves it untouched", async () => {
      const response = await world.adminA.create(ticketAgent({ name: "Org A only" }));
      const agent = await expectStatus(response, 201);
      const etag = response.headers.get("etag")!;
      const attempts: [string, Promise<Response>][] = [
        ["GET", world.adminB.get(agent.id)],
        ["PUT", world.adminB.replace(agent.id, { ...agent, name: "Taken" }, etag)],
        ["PUT *", world.adminB.replace(agent.id, { ...agent, name: "Taken" }, "*")],
        ["DELETE", world.adminB.remove(agent.id)],
        ["DELETE If-Match", world.adminB.remove(agent.id, etag)],
        ["pause", world.adminB.pause(agent.id)],
        ["activate", world.adminB.activate(agent.id)],
      ];
      for (const [name, pending] of attempts) {
        const problem = await problemOf(await pending);
        expect(problem, name).toMatchObject({ status: 404, code: "resource.not_found" });
      }
      const listB = await expectStatus<{ items: AgentBody[] }>(world.adminB.list("?limit=100"), 200);
      expect(listB.items.map((item) => item.id)).not.toContain(agent.id);
      const after = await world.adminA.get(agent.id);
      expect(await expectStatus(after, 200)).toEqual(agent);
      expect(after.headers.get("etag")).toBe(etag);
    });

    it("ignores an org_id in the body: the org comes from the credential", async () => {
      const created = await expectStatus(world.adminA.create({ ...ticketAgent(), org_id: world.orgB }), 201);
      expect(created.org_id).toBe(world.orgA);
      expect((await problemOf(await world.adminB.get(created.id))).status).toBe(404);
    });
  });

  describe("the list", () => {
    it("pages through system and custom agents with limit and continuation, each exactly once", async () => {
      const mine = await Promise.all(
        Array.from({ length: 7 }, (_, i) =>
          expectStatus(world.adminB.create(ticketAgent({ name: `Paged ${i}` })), 201),
        ),
      );
      const seen: string[] = [];
      let continuation: string | null = null;
      let pages = 0;
      do {
        const query: string = `?limit=3${continuation ? `&continuation=${encodeURIComponent(continuation)}` : ""}`;
        const page: { items: AgentBody[]; continuation: string | null } = await expectStatus(
          world.adminB.list(query),
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
        world.adminB.list("?limit=100"),
        200,
      );
      expect(all.items.map((agent) => agent.id)).toEqual(seen);
      expect(all.items.every((agent) => agent.is_system || agent.org_id === world.orgB)).toBe(true);
    });

    it("defaults to 25 and refuses limits outside 1–100 and foreign or forged continuations (422)", async () => {
      await Promise.all(
        Array.from({ length: 25 }, () => expectStatus(world.adminA.create(ticketAgent()), 201)),
      );
      const page = await expectStatus<{ items: AgentBody[]; continuation: string }>(world.adminA.list(), 200);
      expect(page.items).toHaveLength(25);
      expect(page.continuation).toEqual(expect.any(String));
      for (const query of ["?limit=0", "?limit=101", "?limit=abc", "?limit=2.5", "?continuation=garbage"]) {
        const problem = await problemOf(await world.adminA.list(query));
        expect(problem).toMatchObject({ status: 422, errors: [{ path: expect.stringMatching(/^query\./) }] });
      }
      const foreign = await problemOf(
        await world.adminB.list(`?continuation=${encodeURIComponent(page.continuation)}`),
      );
      expect(foreign).toMatchObject({ status: 422, errors: [{ path: "query.continuation" }] });
    });
  });
});
