// "An org always keeps an active owner": the check, and the guard document that serialises changes to owners.
import type { OperationInput } from "@azure/cosmos";
import { now } from "../clock";
import { AppError } from "../errors";
import { TenantRepository } from "../store/repository";

/**
 * Every change that takes an owner away (demotion, deactivation) rewrites this document in the same batch,
 * conditionally on the version read before counting the owners. Two such changes racing (two owners demoting
 * each other) cannot both commit, so the count each one saw stays true when it commits.
 */
interface OwnerGuardDoc {
  id: "owner-guard";
  org_id: string;
  type: "owner-guard";
  changed_at: string;
}

const guards = new TenantRepository<OwnerGuardDoc>("identity");
const users = new TenantRepository<{ id: string; org_id: string }>("identity");

/** Reads the guard, then checks another active owner remains; returns the guard write for the change's batch. */
export async function guardLastOwner(orgId: string, leavingUserId: string): Promise<OperationInput> {
  const guard = await guards.read(orgId, "owner-guard");
  const others = await users.query<{ user_id: string }>(
    orgId,
    {
      query:
        "SELECT c.user_id FROM c WHERE c.org_id = @org_id AND c.type = 'user' AND c.orgRole = 'owner' " +
        "AND c.status = 'active' AND c.user_id != @user_id",
      parameters: [{ name: "@user_id", value: leavingUserId }],
    },
    { limit: 1 },
  );
  if (others.items.length === 0) {
    throw new AppError("iam.last_owner", "The organization's last active owner cannot be removed.");
  }
  const doc: OwnerGuardDoc = {
    id: "owner-guard",
    org_id: orgId,
    type: "owner-guard",
    changed_at: now().toISOString(),
  };
  return guard
    ? { operationType: "Replace", id: doc.id, resourceBody: { ...doc }, ifMatch: guard._etag }
    : { operationType: "Create", resourceBody: { ...doc } };
}
