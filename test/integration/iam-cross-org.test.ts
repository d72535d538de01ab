// Tenancy of the IAM API: another org's user answers 404 on every route, exactly like no user at all, and stays untouched.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost, busOf, problemOf } from "../support/devhost";
import type { CreatedOrg } from "../support/identity";
import { createOrg, userToken } from "../support/identity";
import type { IamClient, UserBody } from "../support/iam";
import { createUser, iamClient, iamEvents, newUserBody, ownerToken } from "../support/iam";

type Route = [name: string, call: (client: IamClient, id: string) => Promise<Response>];

const ROUTES: Route[] = [
  ["GET /api/users/{id}", (client, id) => client.get(id)],
  ["PATCH /api/users/{id} (names)", (client, id) => client.patch(id, { firstName: "Mallory" })],
  ["PATCH /api/users/{id} (orgRole)", (client, id) => client.patch(id, { orgRole: "viewer" })],
  ["POST /api/users/{id}/deactivate", (client, id) => client.deactivate(id)],
  ["PUT /api/users/{id}/access/{product}", (client, id) => client.grant(id, "psa", "tech")],
  ["DELETE /api/users/{id}/access/{product}", (client, id) => client.revoke(id, "agents")],
];

describe("IAM across orgs", () => {
  let host: DevHost;
  let home: CreatedOrg;
  let other: CreatedOrg;
  let actors: [string, IamClient][];
  let targets: [string, string][];
  let otherOwner: IamClient;
  beforeAll(async () => {
    host = await bootDevHost();
    [home, other] = await Promise.all([createOrg(host), createOrg(host)]);
    const admin = await userToken(host, home, { orgRole: "admin" }, "hub");
    actors = [
      ["owner", iamClient(host, await ownerToken(host, home))],
      ["admin", iamClient(host, admin.token)],
    ];
    otherOwner = iamClient(host, await ownerToken(host, other));
    const member = await createUser(otherOwner, { orgRole: "member", product_access: { agents: "admin" } });
    targets = [
      ["other org's owner", other.owner.id],
      ["other org's member", member.id],
    ];
  });
  afterAll(() => host.stop());

  it("answers 404 on every route, with the body an unknown id gets", async () => {
    const unknown = randomUUID();
    for (const [route, call] of ROUTES) {
      const baseline = await problemOf(await call(actors[0]![1], unknown));
      expect(baseline.status, route).toBe(404);
      for (const [actor, client] of actors) {
        for (const [target, id] of targets) {
          const response = await call(client, id);
          expect(response.status, `${actor} → ${target}: ${route}`).toBe(404);
          const problem = await problemOf(response);
          expect({ ...problem, request_id: null }).toEqual({ ...baseline, request_id: null });
        }
      }
    }
  });

  it("leaves the other org's users as they were and publishes nothing about them", async () => {
    await busOf(host).idle();
    for (const [, id] of targets) {
      const user = (await (await otherOwner.get(id)).json()) as UserBody;
      expect(user.status).toBe("active");
      expect(user.firstName).not.toBe("Mallory");
      expect(user.product_access.psa).toBeUndefined();
      const types = iamEvents(host, id).map((message) => message.body.type);
      expect(
        types.filter((type) => type !== "hub.iam.user_created" && type !== "hub.iam.access_granted"),
      ).toEqual([]);
    }
  });

  it("lists only the caller's org, and creates in the caller's org (a body naming an org is refused)", async () => {
    const [, owner] = actors[0]!;
    const page = (await (await owner.list("?limit=100")).json()) as { items: UserBody[] };
    expect(page.items.every((user) => user.org_id === home.orgId)).toBe(true);
    expect(page.items.map((user) => user.id)).not.toContain(other.owner.id);
    // The create body is strict (docs/identity.md): an org in it is refused, never obeyed.
    expect((await owner.create(newUserBody({ org_id: other.orgId }))).status).toBe(422);
    const created = await owner.create(newUserBody());
    expect(created.status).toBe(201);
    expect(((await created.json()) as UserBody).org_id).toBe(home.orgId);
  });
});
