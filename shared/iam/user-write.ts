// One read-modify-write of a user and its events in one batch, retried when someone else wrote in between.
import type { OperationInput } from "@azure/cosmos";
import { forgetUser } from "../auth/auth-state";
import { now } from "../clock";
import { AppError, isAppError } from "../errors";
import type { CloudEvent } from "../events/cloud-event";
import { commitWithEvents } from "../events/outbox";
import type { UserDoc } from "../identity/model";
import { readUser } from "../identity/repository";
import type { WithEtag } from "../store/repository";
import { guardLastOwner } from "./owner-guard";
import { isUserId } from "../identity/model";

/**
 * What a change decides from the user as stored: the new document and its events (and any further operation in the
 * user's partition to commit with them), or nothing to do.
 */
export type UserChange = { user: UserDoc; events: CloudEvent[]; operations?: OperationInput[] } | null;

const ATTEMPTS = 5;

export const notFound = () => new AppError("resource.not_found", "No such user.");

/** The user in the caller's org, or 404: a user of another org is indistinguishable from no user. */
export async function existingUser(orgId: string, userId: string): Promise<WithEtag<UserDoc>> {
  if (!isUserId(userId)) throw notFound();
  const user = await readUser(orgId, userId);
  if (!user) throw notFound();
  return user;
}

const isActiveOwner = (user: UserDoc) => user.orgRole === "owner" && user.status === "active";

/** The stored fields only, with the version moved on and the change's time. */
export function nextVersion(current: WithEtag<UserDoc>, fields: Partial<UserDoc>): UserDoc {
  const { _etag, ...stored } = current;
  void _etag;
  return { ...stored, ...fields, version: (current.version ?? 0) + 1, updated_at: now().toISOString() };
}

/**
 * Reads the user, lets `decide` compute the change, and commits it with its events (the user replaced only if
 * unchanged since the read). A change that takes away an active owner carries the owner guard in its batch.
 */
export async function modifyUser(
  orgId: string,
  userId: string,
  decide: (current: WithEtag<UserDoc>) => UserChange,
): Promise<UserDoc> {
  for (let attempt = 1; ; attempt++) {
    const current = await existingUser(orgId, userId);
    const change = decide(current);
    if (!change) return current;
    const operations: OperationInput[] = [...(change.operations ?? [])];
    if (isActiveOwner(current) && !isActiveOwner(change.user)) {
      operations.push(await guardLastOwner(orgId, userId));
    }
    operations.push({
      operationType: "Replace" as const,
      id: change.user.id,
      resourceBody: { ...change.user },
      ifMatch: current._etag,
    });
    try {
      await commitWithEvents("identity", orgId, operations, change.events);
    } catch (error) {
      const raced = isAppError(error) && ["precondition.failed", "resource.conflict"].includes(error.code);
      if (raced && attempt < ATTEMPTS) continue;
      if (raced) throw new AppError("resource.conflict", "The user is being changed by someone else; retry.");
      throw error;
    }
    // This instance sees the change at once; the others within the auth cache's 4 s.
    forgetUser(orgId, userId);
    return change.user;
  }
}
