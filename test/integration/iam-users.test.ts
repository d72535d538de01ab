// The IAM API through HTTP (docs/identity.md): users and product access for org owners and admins, and the rules that guard owners.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { bootDevHost, problemOf } from "../support/devhost";
import type { CreatedOrg } from "../support/identity";
import {
  accessToken,
  bearer,
  createOrg,
  login,
  setPasswordByInvitation,
  userToken,
} from "../support/identity";
import type { IamClient, UserBody } from "../support/iam";
import { createUser, iamClient, newPassword, newUserBody, ownerToken } from "../support/iam";

describe("IAM API", () => {
  let host: DevHost;
  let org: CreatedOrg;
  let owner: IamClient;
  beforeAll(async () => {
    host = await bootDevHost();
    org = await createOrg(host, { entitlements: ["psa", "agents", "defend", "ai:basic"] });
    owner = iamClient(host, await ownerToken(host, org));
  });
  afterAll(() => host.stop());

  it("creates an invited user (201, Location, no password hash) who can sign in once they accept", async () => {
    const body = newUserBody({
      email: "New.Person@Example.com",
      orgRole: "member",
      product_access: { psa: "agent" },
    });
    const response = await owner.create(body);
    expect(response.status).toBe(201);
    const user = (await response.json()) as UserBody;
    expect(response.headers.get("location")).toBe(`/api/users/${user.id}`);
    expect(user).toMatchObject({
      org_id: org.orgId,
      email: "new.person@example.com",
      firstName: "Una",
      lastName: "User",
      orgRole: "member",
      status: "active",
      product_access: { psa: "agent" },
      invitation: { status: "pending", sent_at: expect.any(String), expires_at: expect.any(String) },
    });
    expect(JSON.stringify(user)).not.toMatch(/password/);
    const password = newPassword();
    await expect(login(host, "new.person@example.com", password)).rejects.toThrow(/401/);
    await setPasswordByInvitation(host, user.email, password);
    await expect(login(host, "NEW.PERSON@example.com", password)).resolves.toMatch(/^__Host-hub_session=/);
    const accepted = (await (await owner.get(user.id)).json()) as UserBody;
    expect(accepted.invitation).toBeUndefined();
  });

  it("keeps emails unique within the org whatever their case, and refuses a password in the body", async () => {
    const first = await createUser(owner);
    const again = await owner.create(newUserBody({ email: first.email.toUpperCase() }));
    expect(again.status).toBe(409);
    expect((await owner.create(newUserBody({ email: org.owner.email.toUpperCase() }))).status).toBe(409);
    const withPassword = await owner.create(newUserBody({ password: newPassword() }));
    expect(withPassword.status).toBe(422);
  });

  it("validates bodies: schema 422, unknown or unentitled products 422, Agents roles 422", async () => {
    const cases = [
      newUserBody({ orgRole: "superuser" }),
      newUserBody({ email: "not-an-email" }),
      newUserBody({ password: "short" }),
      newUserBody({ product_access: { jarvis: "user" } }),
      newUserBody({ product_access: { agents: "wizard" } }),
      newUserBody({ product_access: { "ai:pro": "x" } }),
    ];
    for (const body of cases) {
      const response = await owner.create(body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect((await problemOf(response)).errors).toBeInstanceOf(Array);
    }
    const user = await createUser(owner);
    expect((await owner.grant(user.id, "jarvis", "user")).status).toBe(422);
    expect((await owner.grant(user.id, "agents", "wizard")).status).toBe(422);
    expect((await owner.patch(user.id, { orgRole: "god" })).status).toBe(422);
    expect((await owner.patch(user.id, { email: "x@example.com" })).status).toBe(422);
  });

  it("gets, renames, changes the org role, grants and revokes product access", async () => {
    const user = await createUser(owner, { orgRole: "viewer" });
    expect(await (await owner.get(user.id)).json()).toMatchObject({ id: user.id, orgRole: "viewer" });
    const renamed = await owner.patch(user.id, { firstName: "Ada", lastName: "Lovelace" });
    expect(await renamed.json()).toMatchObject({ firstName: "Ada", lastName: "Lovelace", orgRole: "viewer" });
    expect(await (await owner.patch(user.id, { orgRole: "admin" })).json()).toMatchObject({
      orgRole: "admin",
    });
    const granted = await owner.grant(user.id, "agents", "technician");
    expect(granted.status).toBe(200);
    expect(await granted.json()).toMatchObject({ product_access: { agents: "technician" } });
    const revoked = await owner.revoke(user.id, "agents");
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as UserBody).product_access).toEqual({});
    expect((await owner.revoke(user.id, "agents")).status).toBe(200); // already gone: nothing to do
  });

  it("deactivates a user once; the user can no longer sign in or be granted access", async () => {
    const user = await createUser(owner, { password: newPassword() });
    const response = await owner.deactivate(user.id);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "deactivated",
      deactivated_at: expect.any(String),
    });
    expect((await owner.deactivate(user.id)).status).toBe(200);
    await expect(login(host, user.email, user.password!)).rejects.toThrow(/403/);
    expect((await owner.grant(user.id, "psa", "agent")).status).toBe(409);
    expect((await owner.patch(user.id, { orgRole: "admin" })).status).toBe(409);
  });

  it("lists the org's users a page at a time, optionally by status", async () => {
    const listOrg = await createOrg(host);
    const client = iamClient(host, await ownerToken(host, listOrg));
    const made = [await createUser(client), await createUser(client), await createUser(client)];
    await client.deactivate(made[0]!.id);
    const seen: string[] = [];
    let continuation: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=2${continuation ? `&continuation=${encodeURIComponent(continuation)}` : ""}`;
      const page = (await (await client.list(query)).json()) as {
        items: UserBody[];
        continuation: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      continuation = page.continuation;
      pages++;
    } while (continuation && pages < 10);
    expect(seen.sort()).toEqual([listOrg.owner.id, ...made.map((user) => user.id)].sort());
    const deactivated = (await (await client.list("?status=deactivated")).json()) as { items: UserBody[] };
    expect(deactivated.items.map((item) => item.id)).toEqual([made[0]!.id]);
    expect((await client.list("?limit=0")).status).toBe(422);
    expect((await client.list("?continuation=bm9wZQ")).status).toBe(422);
  });

  it("refuses a continuation token minted for another org", async () => {
    await createUser(owner);
    await createUser(owner);
    const page = (await (await owner.list("?limit=1")).json()) as { continuation: string };
    expect(page.continuation).toEqual(expect.any(String));
    const other = iamClient(host, await ownerToken(host, await createOrg(host)));
    expect((await other.list(`?continuation=${encodeURIComponent(page.continuation)}`)).status).toBe(422);
  });

  it("is for owners and admins with a hub token only", async () => {
    const target = await createUser(owner);
    for (const orgRole of ["member", "viewer"] as const) {
      const { token } = await userToken(host, org, { orgRole, product_access: { agents: "admin" } }, "hub");
      expect((await iamClient(host, token).get(target.id)).status).toBe(403);
    }
    const admin = await userToken(host, org, { orgRole: "admin" }, "hub");
    expect((await iamClient(host, admin.token).get(target.id)).status).toBe(200);
    const agentsToken = await accessToken(host, admin.session, "agents");
    expect((await iamClient(host, agentsToken).get(target.id)).status).toBe(401);
    expect((await fetch(`${host.url}/api/users`)).status).toBe(401);
    const withKey = await fetch(`${host.url}/api/users`, { headers: { ...bearer("nope") } });
    expect(withKey.status).toBe(401);
  });

  it("lets only owners make, change or deactivate owners", async () => {
    const admin = iamClient(host, (await userToken(host, org, { orgRole: "admin" }, "hub")).token);
    const ownerTwo = await createUser(owner, { orgRole: "owner" });
    expect((await admin.create(newUserBody({ orgRole: "owner" }))).status).toBe(403);
    const member = await createUser(admin);
    expect((await admin.patch(member.id, { orgRole: "owner" })).status).toBe(403);
    expect((await admin.patch(member.id, { orgRole: "admin" })).status).toBe(200);
    expect((await admin.patch(ownerTwo.id, { orgRole: "member" })).status).toBe(403);
    expect((await admin.deactivate(ownerTwo.id)).status).toBe(403);
    expect((await admin.grant(ownerTwo.id, "psa", "agent")).status).toBe(403);
    expect((await owner.patch(ownerTwo.id, { orgRole: "admin" })).status).toBe(200);
  });

  it("never removes the last active owner (demotion, deactivation, or two at once)", async () => {
    const solo = await createOrg(host);
    const client = iamClient(host, await ownerToken(host, solo));
    const lastOwner = await problemOf(await client.patch(solo.owner.id, { orgRole: "admin" }));
    expect(lastOwner).toMatchObject({ status: 409, code: "iam.last_owner" });
    expect((await client.deactivate(solo.owner.id)).status).toBe(409);

    const second = await createUser(client, { orgRole: "owner" });
    const third = await createUser(client, { orgRole: "owner" });
    expect((await client.deactivate(third.id)).status).toBe(200);
    // Two owners left; demoting both at once must leave one of them an owner.
    const answers = await Promise.all([
      client.patch(solo.owner.id, { orgRole: "admin" }),
      client.patch(second.id, { orgRole: "admin" }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const users = (await (await client.list()).json()) as { items: UserBody[] };
    const owners = users.items.filter((user) => user.orgRole === "owner" && user.status === "active");
    expect(owners).toHaveLength(1);
  });
});
