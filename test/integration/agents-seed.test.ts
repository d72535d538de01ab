// System agents are seeded under org "system" at start-up, idempotently; the Agents API refuses callers without a credential.
import { CosmosClient } from "@azure/cosmos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as SeedModule from "../../shared/agents/seed";
import type * as CatalogueModule from "../../shared/agents/system-catalogue";
import { bootDevHost, builtModule, problemOf } from "../support/devhost";

describe("system agents seed", () => {
  let host: Awaited<ReturnType<typeof bootDevHost>>;
  let client: CosmosClient;
  const { seedSystemAgents } = builtModule<typeof SeedModule>("shared/agents/seed.js");
  const { SYSTEM_AGENTS } = builtModule<typeof CatalogueModule>("shared/agents/system-catalogue.js");

  beforeAll(async () => {
    host = await bootDevHost();
    client = new CosmosClient({
      endpoint: host.cosmos!.endpoint,
      key: host.cosmos!.key,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
  });
  afterAll(() => host.stop());

  const agents = () => client.database("hub").container("agents");

  it("wrote every shipped system agent under org_id 'system' when the app started", async () => {
    const { resources } = await agents()
      .items.query({ query: "SELECT * FROM c" }, { partitionKey: "system" })
      .fetchAll();
    expect(resources.map((doc) => doc.id).sort()).toEqual(SYSTEM_AGENTS.map((agent) => agent.id).sort());
    for (const doc of resources)
      expect(doc).toMatchObject({ org_id: "system", is_system: true, kind: "agent" });
  });

  it("writes nothing when run again, and retires a system agent no longer shipped", async () => {
    expect(await seedSystemAgents()).toEqual({ written: 0, retired: 0 });
    await agents().items.create({ id: "sys-retired", org_id: "system", kind: "agent" });
    const stored = SYSTEM_AGENTS[0]!;
    await agents()
      .item(stored.id, "system")
      .replace({ ...stored, kind: "agent", name: "tampered" });
    expect(await seedSystemAgents()).toEqual({ written: 1, retired: 1 });
    const { resource } = await agents().item(stored.id, "system").read();
    expect(resource.name).toBe(stored.name);
  });

  it.each([
    ["GET", "/api/agents"],
    ["POST", "/api/agents"],
    ["GET", "/api/agents/sys-onboard-new-user"],
    ["PUT", "/api/agents/sys-onboard-new-user"],
    ["DELETE", "/api/agents/sys-onboard-new-user"],
    ["POST", "/api/agents/sys-onboard-new-user/pause"],
    ["POST", "/api/agents/sys-onboard-new-user/activate"],
    ["GET", "/api/agents/settings"],
    ["PUT", "/api/agents/settings"],
  ])("%s %s without a credential answers 401", async (method, path) => {
    const response = await host.fetch(path, { method });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await problemOf(response)).toMatchObject({ status: 401 });
  });
});
