// The devhost seeds a demo org with every product and ai:pro, owned by the configured account, exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type * as SeedModule from "../../devhost/seed";
import type { SeedHandle } from "../../devhost/seed";
import { bootDevHost, builtModule } from "../support/devhost";
import { accessToken, bearer, login } from "../support/identity";
import { waitForExecutions } from "../support/executions";

describe("devhost seed", () => {
  let host: DevHost & { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  const email = "Seeded.Owner@Example.com";
  const password = "a seeded password for tests";
  beforeAll(async () => {
    host = await bootDevHost({
      settings: { HUB_SEED_OWNER_EMAIL: email, HUB_SEED_OWNER_PASSWORD: password, PRODUCT_PSA_BASE_URL: "" },
    });
  });
  afterAll(() => host.stop());

  it("creates the demo org whose owner signs in with the configured credentials", async () => {
    const seed = host.services.seed as SeedHandle;
    expect(seed).toMatchObject({ slug: "demo", ownerEmail: email, created: true });
    const response = await host.fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { org: Record<string, unknown>; user: Record<string, unknown> };
    expect(body.org).toEqual({
      id: seed.orgId,
      slug: "demo",
      name: "Demo Org",
      status: "active",
      entitlements: ["psa", "portal", "agents", "defend", "jarvis", "ai:pro"],
    });
    expect(body.user).toMatchObject({ email: email.toLowerCase(), orgRole: "owner" });
  });

  it("gives the owner a token for every product", async () => {
    const session = await login(host, email, password);
    for (const audience of ["hub", "psa", "portal", "agents", "defend", "jarvis"]) {
      expect(await accessToken(host, session, audience)).toMatch(/^ey/);
    }
  });

  it("is idempotent: a second run finds the org and changes nothing", async () => {
    const { seedExtension } = builtModule<typeof SeedModule>("devhost/seed.js");
    const again = await seedExtension().start({} as never);
    expect(again).toMatchObject({ orgId: (host.services.seed as SeedHandle).orgId, created: false });
    expect((await login(host, email, password)).startsWith("__Host-hub_session=")).toBe(true);
  });

  it("serves no product sandbox unless asked (npm start asks): an empty base URL disables the product, as in Azure", async () => {
    expect((await host.fetch("/dev/products/calls")).status).toBe(404);
    const session = await login(host, email, password);
    const hub = await accessToken(host, session, "hub");
    const agents = await accessToken(host, session, "agents");
    const created = await host.fetch("/api/users", {
      method: "POST",
      headers: { ...bearer(hub), "content-type": "application/json" },
      body: JSON.stringify({
        email: "no-psa@example.com",
        firstName: "No",
        lastName: "Psa",
        orgRole: "member",
      }),
    });
    expect(created.status).toBe(201);
    const [onboarding] = await waitForExecutions(host, agents, "sys-onboard-new-user", 1);
    expect(onboarding!.status).toBe("failed");
    expect(JSON.stringify(onboarding!.steps)).toContain("PRODUCT_PSA_BASE_URL is not set");
  });
});
