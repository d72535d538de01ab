// The store refuses, before any I/O, an operation that does not name an org.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type * as Repository from "../../shared/store/repository";
import { bootDevHost, builtModule } from "../support/devhost";

interface Doc {
  id: string;
  org_id: string;
  name?: string;
}

describe("tenant-scoped repository", () => {
  let host: DevHost;
  let repo: Repository.TenantRepository<Doc>;
  beforeAll(async () => {
    host = await bootDevHost();
    const { TenantRepository } = builtModule<typeof Repository>("shared/store/repository.js");
    repo = new TenantRepository<Doc>("agents");
  });
  afterAll(() => host.stop());

  const refusals: [string, () => Promise<unknown>][] = [
    ["read", () => repo.read("", "x")],
    ["read (whitespace org)", () => repo.read("  ", "x")],
    ["createIfAbsent", () => repo.createIfAbsent({ id: "x", org_id: "" })],
    ["upsert", () => repo.upsert({ id: "x", org_id: undefined as unknown as string })],
    ["replace", () => repo.replace({ id: "x", org_id: "" })],
    ["patch", () => repo.patch("", "x", [])],
    ["delete", () => repo.delete("", "x")],
    ["query", () => repo.query("", { query: "SELECT * FROM c WHERE c.org_id = @org_id" }, { limit: 10 })],
    [
      "query that does not filter on its org",
      () => repo.query("org-a", { query: "SELECT * FROM c" }, { limit: 10 }),
    ],
    ["batch", () => repo.batch("", [])],
  ];

  it.each(refusals)("%s without an org is refused with no request to Cosmos", async (_name, operation) => {
    const before = host.cosmos!.requestCount;
    await expect(operation()).rejects.toMatchObject({ code: "store.org_required" });
    expect(host.cosmos!.requestCount).toBe(before);
  });

  it("reads only inside the named org's partition", async () => {
    await repo.createIfAbsent({ id: "shared-id", org_id: "org-a", name: "a" });
    expect(await repo.read("org-a", "shared-id")).toMatchObject({ name: "a" });
    expect(await repo.read("org-b", "shared-id")).toBeNull();
    const page = await repo.query(
      "org-b",
      { query: "SELECT * FROM c WHERE c.org_id = @org_id" },
      { limit: 10 },
    );
    expect(page.items).toEqual([]);
  });

  it("turns a stale etag into precondition.failed", async () => {
    const created = await repo.createIfAbsent({ id: "etag-doc", org_id: "org-a", name: "v1" });
    await repo.replace({ id: "etag-doc", org_id: "org-a", name: "v2" }, created!._etag);
    await expect(
      repo.replace({ id: "etag-doc", org_id: "org-a", name: "v3" }, created!._etag),
    ).rejects.toMatchObject({
      code: "precondition.failed",
    });
  });
});
