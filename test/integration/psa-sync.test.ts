// The psa-sync subscriber against a fake PSA: one PUT of the whole record per change PSA must see, in any delivery order.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BusHandle } from "../../devhost/bus/extension";
import type { DevHost } from "../../devhost/host";
import type * as SyncState from "../../shared/psa/sync-state";
import { bootDevHost, builtModule, busOf } from "../support/devhost";
import { fakePsaSettings, validatePsaKeys } from "../support/executions";
import type { FakeProduct, RecordedCall } from "../support/fake-product";
import { startFakeProduct } from "../support/fake-product";
import type { CreatedOrg } from "../support/identity";
import { createOrg } from "../support/identity";
import type { IamClient, UserBody } from "../support/iam";
import { createUser, iamClient, iamEvents, ownerToken } from "../support/iam";

describe("PSA sync", () => {
  let host: DevHost;
  let bus: BusHandle;
  let psa: FakeProduct;
  let org: CreatedOrg;
  let owner: IamClient;
  beforeAll(async () => {
    psa = await startFakeProduct();
    host = await bootDevHost({ settings: fakePsaSettings(psa) });
    validatePsaKeys(psa, host);
    bus = busOf(host);
    org = await createOrg(host, { entitlements: ["psa", "agents"] });
    owner = iamClient(host, await ownerToken(host, org));
  });
  afterAll(async () => {
    await host.stop();
    await psa.close();
  });
  beforeEach(() => bus.idle());

  const callsFor = (userId: string): RecordedCall[] =>
    psa.calls.filter((call) => call.path === `/agents/${userId}`);
  const recordOf = (user: UserBody, fields: Record<string, unknown>) => ({
    portal_user_id: user.id,
    org_id: org.orgId,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    ...fields,
  });
  const settled = async () => {
    await bus.idle();
    expect(bus.deadLetters()).toEqual([]);
  };

  it("creates the agent record, syncs its role, deactivates it: one PUT of the whole record each", async () => {
    const user = await createUser(owner, { orgRole: "member", product_access: { psa: "tech" } });
    await settled();
    const [create, ...others] = callsFor(user.id);
    expect(others).toEqual([]);
    expect(create).toMatchObject({ method: "PUT", body: recordOf(user, { role: "agent", active: true }) });
    expect(create!.introspection).toMatchObject({
      active: true,
      kind: "service",
      product: "psa",
      org_id: org.orgId,
    });

    await owner.patch(user.id, { orgRole: "admin" });
    await settled();
    await owner.patch(user.id, { orgRole: "viewer" });
    await settled();
    // Changes PSA's record does not show (another product's access) send nothing.
    await owner.grant(user.id, "agents", "technician");
    await settled();
    await owner.deactivate(user.id);
    await settled();
    expect(callsFor(user.id).map((call) => call.body)).toEqual([
      recordOf(user, { role: "agent", active: true }),
      recordOf(user, { role: "admin", active: true }),
      recordOf(user, { role: "read_only", active: true }),
      recordOf(user, { role: "read_only", active: false }),
    ]);
  });

  it("grants and revokes psa access: record created on the grant, deactivated on the revocation, back on a new grant", async () => {
    const user = await createUser(owner, { orgRole: "admin" });
    await settled();
    expect(callsFor(user.id)).toEqual([]);
    await owner.grant(user.id, "psa", "tech");
    await settled();
    await owner.revoke(user.id, "psa");
    await settled();
    await owner.grant(user.id, "psa", "tech");
    await settled();
    expect(callsFor(user.id).map((call) => call.body)).toEqual([
      recordOf(user, { role: "admin", active: true }),
      recordOf(user, { role: "admin", active: false }),
      recordOf(user, { role: "admin", active: true }),
    ]);
  });

  it("skips an org without agents: it holds no psa service key, so nothing is sent and nothing dead-letters", async () => {
    const bare = await createOrg(host, { entitlements: ["psa"] });
    const bareOwner = iamClient(host, await ownerToken(host, bare));
    const user = await createUser(bareOwner, { orgRole: "member", product_access: { psa: "tech" } });
    await settled();
    expect(callsFor(user.id)).toEqual([]);
  });

  it("never calls PSA about users who never had psa access", async () => {
    const user = await createUser(owner, { orgRole: "member", product_access: { agents: "admin" } });
    await owner.patch(user.id, { orgRole: "admin" });
    await owner.deactivate(user.id);
    await settled();
    expect(callsFor(user.id)).toEqual([]);
  });

  it("every message delivered twice and newest first: no double create, the newest state wins", async () => {
    const synced = await createUser(owner, { orgRole: "member", product_access: { psa: "tech" } });
    await settled();
    expect(callsFor(synced.id)).toHaveLength(1);

    bus.pause();
    const fresh = await createUser(owner, { orgRole: "member", product_access: { psa: "tech" } });
    await owner.patch(fresh.id, { orgRole: "admin" });
    await owner.grant(fresh.id, "agents", "technician");
    const gone = await createUser(owner, { orgRole: "member", product_access: { psa: "tech" } });
    await owner.deactivate(gone.id);
    await owner.patch(synced.id, { orgRole: "viewer" });
    await owner.revoke(synced.id, "psa");
    bus.release({ duplicate: true, reverse: true });
    await settled();

    expect(callsFor(fresh.id).map((call) => call.body)).toEqual([
      recordOf(fresh, { role: "admin", active: true }),
    ]);
    expect(callsFor(gone.id)).toEqual([]);
    expect(callsFor(synced.id).map((call) => call.body)).toEqual([
      recordOf(synced, { role: "agent", active: true }),
      recordOf(synced, { role: "read_only", active: false }),
    ]);
  });

  it("a replayed event (same id) is skipped by id; an old event under a new id by the user's version", async () => {
    const user = await createUser(owner, { orgRole: "member", product_access: { psa: "tech" } });
    await owner.patch(user.id, { orgRole: "admin" });
    await settled();
    expect(callsFor(user.id)).toHaveLength(2);
    const [created] = iamEvents(host, user.id).map((message) => message.body);
    bus.publish(bus.topic, created!);
    bus.publish(bus.topic, { ...created!, id: `${created!.id}-copy` });
    await settled();
    expect(callsFor(user.id)).toHaveLength(2);
    const logged = (text: string) =>
      host.logs.filter((line) => line.message.includes(text)).map((line) => line.message);
    expect(logged("event already handled").some((line) => line.includes(`"event_id":"${created!.id}"`))).toBe(
      true,
    );
    const copy = logged(`"event_id":"${created!.id}-copy"`).filter((line) => line.includes('"PSA sync"'));
    expect(copy).toHaveLength(1);
    expect(copy[0]).toContain('"outcome":"up_to_date"');
  });

  it("retries PSA's 429 honouring Retry-After; a 400 is recorded, completed, and the next change sends again", async () => {
    psa.answerNext({ status: 429, headers: { "retry-after": "0" }, path: "/agents/" });
    const user = await createUser(owner, { orgRole: "member", product_access: { psa: "tech" } });
    await settled();
    expect(callsFor(user.id).map((call) => call.body)).toEqual([
      recordOf(user, { role: "agent", active: true }),
      recordOf(user, { role: "agent", active: true }),
    ]);

    psa.answerNext({ status: 400, body: { error: "role not allowed" }, path: "/agents/" });
    await owner.patch(user.id, { orgRole: "admin" });
    await settled();
    const { readPsaSync } = builtModule<typeof SyncState>("shared/psa/sync-state.js");
    expect(await readPsaSync(org.orgId, user.id)).toMatchObject({
      last_error: { status: 400 },
      last_record: recordOf(user, { role: "agent", active: true }),
    });
    await owner.patch(user.id, { orgRole: "viewer" });
    await settled();
    expect(
      callsFor(user.id)
        .map((call) => call.body)
        .slice(2),
    ).toEqual([
      recordOf(user, { role: "admin", active: true }),
      recordOf(user, { role: "read_only", active: true }),
    ]);
    expect(await readPsaSync(org.orgId, user.id)).not.toHaveProperty("last_error");
  });
});
