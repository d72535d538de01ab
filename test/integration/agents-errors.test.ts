// Every client error of docs/api.md on the Agents API routes, and a fuzz of the create body that never gets a 5xx.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fc } from "../support/property";
import { agentsCaller, expectStatus } from "../support/agents-api";
import type { AgentsCaller } from "../support/agents-api";
import { exampleAgent, ticketAgent } from "../support/agents";
import { agentBodyCandidate } from "../support/agent-arbitraries";
import { bootDevHost, problemOf } from "../support/devhost";
import { accessToken, bearer, createOrg, login, userToken } from "../support/identity";

const JSON_TYPE = { "content-type": "application/json" };

describe("Agents API client errors (docs/api.md)", () => {
  let host: Awaited<ReturnType<typeof bootDevHost>>;
  let admin: AgentsCaller;
  let technician: AgentsCaller;
  let agentId: string;
  let etag: string;

  beforeAll(async () => {
    host = await bootDevHost();
    const org = await createOrg(host);
    const session = await login(host, org.owner.email, org.owner.password);
    admin = agentsCaller(host, bearer(await accessToken(host, session, "agents")));
    const tech = await userToken(
      host,
      org,
      { orgRole: "member", product_access: { agents: "technician" } },
      "agents",
    );
    technician = agentsCaller(host, bearer(tech.token));
    const response = await admin.create(ticketAgent());
    agentId = (await expectStatus(response, 201)).id;
    etag = response.headers.get("etag")!;
  });
  afterAll(() => host.stop());

  const bodyRoutes = () =>
    [
      ["POST", "/api/agents", {}],
      ["PUT", `/api/agents/${agentId}`, { "if-match": etag }],
      ["PUT", "/api/agents/settings", {}],
    ] as const;

  it("400 for malformed JSON on every route that takes a body", async () => {
    for (const [method, path, headers] of bodyRoutes()) {
      const problem = await problemOf(
        await admin.raw(method, path, '{"name": "x",', { ...JSON_TYPE, ...headers }),
      );
      expect(problem, `${method} ${path}`).toMatchObject({ status: 400, code: "request.malformed_json" });
    }
  });

  it("415 for a body that is not JSON", async () => {
    for (const [method, path, headers] of bodyRoutes()) {
      const answer = await admin.raw(method, path, "name=x", { "content-type": "text/plain", ...headers });
      expect(await problemOf(answer), `${method} ${path}`).toMatchObject({ status: 415 });
    }
  });

  it("413 for a body over 256 KiB, even when it is valid JSON", async () => {
    const huge = JSON.stringify({ ...ticketAgent(), description: "x".repeat(300 * 1024) });
    for (const [method, path, headers] of bodyRoutes()) {
      const answer = await admin.raw(method, path, huge, { ...JSON_TYPE, ...headers });
      expect(answer.status, `${method} ${path}`).toBe(413);
    }
  });

  it("422 for a schema-invalid body, naming each path", async () => {
    const body = {
      ...exampleAgent,
      steps: [
        { ...exampleAgent.steps[0], id: "same" },
        { id: "same", type: "delay" },
      ],
    };
    const problem = await problemOf(await admin.create(body));
    expect(problem).toMatchObject({ status: 422, code: "request.invalid" });
    expect(problem.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "steps[1].seconds" })]),
    );
    const missing = await problemOf(await admin.raw("POST", "/api/agents", "", JSON_TYPE));
    expect(missing).toMatchObject({ status: 422 });
  });

  it("401 without a credential or with a bad one, 403 for a role without the right", async () => {
    const anonymous = agentsCaller(host, {});
    expect((await problemOf(await anonymous.list())).status).toBe(401);
    const forged = agentsCaller(host, bearer("eyJhbGciOiJub25lIn0.e30."));
    expect(await problemOf(await forged.get(agentId))).toMatchObject({ status: 401 });
    expect((await problemOf(await technician.create(ticketAgent()))).status).toBe(403);
    expect((await problemOf(await technician.pause(agentId))).status).toBe(403);
  });

  it("404 for an unknown route under /api/agents, 405 for a method the path does not take", async () => {
    expect((await problemOf(await admin.request("GET", `/api/agents/${agentId}/history`))).status).toBe(404);
    expect((await problemOf(await admin.request("GET", "/api/agents/a/b/c/d"))).status).toBe(404);
    const patch = await admin.request("PATCH", `/api/agents/${agentId}`, {});
    expect(patch.status).toBe(405);
    expect(patch.headers.get("allow")).toMatch(/PUT/);
    const deleteAll = await admin.request("DELETE", "/api/agents");
    expect(deleteAll.status).toBe(405);
    expect(deleteAll.headers.get("allow")).toMatch(/GET.*POST|POST.*GET/);
    expect((await problemOf(await admin.request("GET", `/api/agents/${agentId}/pause`))).status).toBe(405);
  });

  it("428 and 412 on PUT", async () => {
    expect((await problemOf(await admin.replace(agentId, ticketAgent()))).status).toBe(428);
    expect((await problemOf(await admin.replace(agentId, ticketAgent(), '"nope"'))).status).toBe(412);
  });

  // Sent eight at a time (the schema fuzz in test/unit shrinks failures; this one proves the HTTP path end to end).
  it(
    "answers 2,000 fuzzed create bodies with 201 or a problem, never a 5xx",
    { timeout: 120_000 },
    async () => {
      const candidates = fc.sample(agentBodyCandidate, 2_000);
      let created = 0;
      const failures: string[] = [];
      for (let start = 0; start < candidates.length; start += 8) {
        await Promise.all(
          candidates.slice(start, start + 8).map(async (candidate) => {
            const body = JSON.stringify(candidate) ?? "";
            const answer = await admin.raw("POST", "/api/agents", body, JSON_TYPE);
            const type = answer.headers.get("content-type") ?? "";
            await answer.arrayBuffer();
            if (answer.status === 201) created++;
            else if (answer.status >= 500 || !type.startsWith("application/problem+json"))
              failures.push(`${answer.status} ${type} for ${body.slice(0, 300)}`);
          }),
        );
      }
      expect(failures).toEqual([]);
      // Both sides of the boundary were exercised (valid mutations are created, the rest refused).
      expect(created).toBeGreaterThan(0);
    },
  );
});
