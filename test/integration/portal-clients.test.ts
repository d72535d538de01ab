// Portal client organisations through HTTP: link, list, unlink, the portalClients claim, the events, tenancy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost, busOf } from "../support/devhost";
import { accessToken, bearer, createOrg, login } from "../support/identity";
import type { CreatedOrg } from "../support/identity";
import { claimsOf, createUser, iamClient } from "../support/iam";

interface BusEvent {
  body: { type: string; subject: string; data: Record<string, unknown>; orgid: string };
}

describe("Portal client organisations", () => {
  let host: DevHost;
  let org: CreatedOrg;
  let session: string;
  let hubToken: string;

  const call = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${host.url}/api/portal-clients${path}`, {
      ...init,
      headers: { "content-type": "application/json", ...bearer(token), ...(init.headers as object) },
    });
  const link = (token: string, name: string, portal_org_id: string) =>
    call("", token, { method: "POST", body: JSON.stringify({ name, portal_org_id }) });
  const portalEvents = (orgId: string) =>
    (busOf(host).published() as BusEvent[]).filter(
      (message) => message.body?.type?.startsWith("hub.iam.portal_client_") && message.body.orgid === orgId,
    );

  beforeAll(async () => {
    host = await bootDevHost();
    org = await createOrg(host);
    session = await login(host, org.owner.email, org.owner.password);
    hubToken = await accessToken(host, session, "hub");
  });
  afterAll(() => host.stop());

  it("links two client organisations, shows them in a portal token, and publishes linked events", async () => {
    const acme = await link(hubToken, "Acme Dental", "portal-org-acme");
    const globex = await link(hubToken, "Globex", "portal-org-globex");
    expect([acme.status, globex.status]).toEqual([201, 201]);
    const acmeBody = (await acme.json()) as Record<string, string>;
    expect(acmeBody).toMatchObject({
      name: "Acme Dental",
      portal_org_id: "portal-org-acme",
      linked_by: org.owner.id,
    });
    expect(acme.headers.get("location")).toBe(`/api/portal-clients/${acmeBody.id}`);
    expect((await link(hubToken, "Acme again", "portal-org-acme")).status).toBe(409);

    const listed = (await (await call("", hubToken)).json()) as { items: Record<string, string>[] };
    expect(listed.items.map((item) => item.portal_org_id)).toEqual(["portal-org-acme", "portal-org-globex"]);

    const portalToken = await accessToken(host, session, "portal");
    expect((claimsOf(portalToken).portalClients as string[]).sort()).toEqual([
      "portal-org-acme",
      "portal-org-globex",
    ]);
    expect(claimsOf(hubToken).portalClients).toBeUndefined();

    await busOf(host).idle();
    const events = portalEvents(org.orgId);
    expect(events.map((event) => [event.body.type, event.body.data.portal_org_id])).toEqual([
      ["hub.iam.portal_client_linked", "portal-org-acme"],
      ["hub.iam.portal_client_linked", "portal-org-globex"],
    ]);
    expect(events[0]!.body.data).toEqual({
      portal_client_id: acmeBody.id,
      portal_org_id: "portal-org-acme",
      name: "Acme Dental",
      linked_by: org.owner.id,
    });
  });

  it("unlinks: the client leaves the portal token and an unlinked event goes out", async () => {
    const linked = (await (await link(hubToken, "Initech", "portal-org-initech")).json()) as { id: string };
    expect((await call(`/${linked.id}`, hubToken, { method: "DELETE" })).status).toBe(204);
    expect((await call(`/${linked.id}`, hubToken, { method: "DELETE" })).status).toBe(404);
    const portalToken = await accessToken(host, session, "portal");
    expect(claimsOf(portalToken).portalClients).not.toContain("portal-org-initech");
    await busOf(host).idle();
    const unlinked = portalEvents(org.orgId).filter((e) => e.body.type === "hub.iam.portal_client_unlinked");
    expect(unlinked.map((event) => event.body.data)).toEqual([
      { portal_client_id: linked.id, portal_org_id: "portal-org-initech", unlinked_by: org.owner.id },
    ]);
  });

  it("hides an org's clients from another org (404 on unlink, not listed, not in its tokens)", async () => {
    const linked = (await (await link(hubToken, "Umbrella", "portal-org-umbrella")).json()) as { id: string };
    const other = await createOrg(host);
    const otherSession = await login(host, other.owner.email, other.owner.password);
    const otherToken = await accessToken(host, otherSession, "hub");
    expect((await call(`/${linked.id}`, otherToken, { method: "DELETE" })).status).toBe(404);
    const listed = (await (await call("", otherToken)).json()) as { items: unknown[] };
    expect(listed.items).toEqual([]);
    expect(claimsOf(await accessToken(host, otherSession, "portal")).portalClients).toEqual([]);
    // Still linked for its own org.
    const mine = (await (await call("", hubToken)).json()) as { items: { id: string }[] };
    expect(mine.items.map((item) => item.id)).toContain(linked.id);
  });

  it("is for owners and admins only, and validates what it is given", async () => {
    const member = await createUser(iamClient(host, hubToken), {
      orgRole: "member",
      password: "member-password-123456",
    });
    const memberToken = await accessToken(
      host,
      await login(host, member.email, "member-password-123456"),
      "hub",
    );
    expect((await call("", memberToken)).status).toBe(403);
    expect((await link(memberToken, "Nope", "portal-org-nope")).status).toBe(403);
    for (const body of [
      { name: "", portal_org_id: "x" },
      { name: "x" },
      { name: "x", portal_org_id: "has space" },
    ]) {
      const response = await call("", hubToken, { method: "POST", body: JSON.stringify(body) });
      expect(response.status, JSON.stringify(body)).toBe(422);
    }
    expect((await call("/not-an-id", hubToken, { method: "DELETE" })).status).toBe(422);
  });
});
