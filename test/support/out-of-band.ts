// States no endpoint can produce, written straight into the store; each helper names who would write it in Azure.
//
//   suspendOrg(host, orgId)                    the platform operator suspends an org: Hub has no route for it
//                                              (docs/identity.md), so the operator edits the org document
//   reactivateUser(host, orgId, userId)        Hub has no route that reactivates a deactivated user (yet); the
//                                              tests of what a reactivated user keeps put them back this way
//   deactivationFromElsewhere(host, orgId, userId)
//                                              another instance's deactivation as it reaches the store: this
//                                              instance's caches hear nothing of it (POST /api/users/{id}/deactivate
//                                              here would evict them), which is what the 5-second rule is about
//   keyRevocationFromElsewhere(host, orgId, keyId)
//                                              the same for an integration key revoked on another instance
//
// Where an endpoint exists, tests use it (test/support/identity.ts); nothing here may grow a fourth helper for a
// state the API can make.
import type { DevHost } from "../../devhost/host";
import { rawContainer } from "./raw-container";

type Host = Pick<DevHost, "cosmos">;

async function patchDocument(
  host: Host,
  orgId: string,
  id: string,
  fields: Record<string, unknown>,
  container = "identity",
) {
  const item = rawContainer(host, container).item(id, orgId);
  const { resource } = await item.read<Record<string, unknown>>();
  if (!resource) throw new Error(`no document ${id} in ${orgId}`);
  await item.replace(
    { ...resource, ...fields },
    { accessCondition: { type: "IfMatch", condition: String(resource._etag) } },
  );
}

export const suspendOrg = (host: Host, orgId: string) =>
  patchDocument(host, orgId, "org", { status: "suspended", updated_at: new Date().toISOString() });

export const reactivateUser = (host: Host, orgId: string, userId: string) =>
  patchDocument(host, orgId, `user:${userId}`, { status: "active", updated_at: new Date().toISOString() });

export const deactivationFromElsewhere = (host: Host, orgId: string, userId: string) =>
  patchDocument(host, orgId, `user:${userId}`, {
    status: "deactivated",
    updated_at: new Date().toISOString(),
  });

export const keyRevocationFromElsewhere = (host: Host, orgId: string, keyId: string) =>
  patchDocument(host, orgId, keyId, { revoked_at: new Date().toISOString() }, "keys");
