// Reading the org's users: one by id (a point read), or a page at a time with an org-bound continuation token.
import { z } from "zod";
import type { Principal } from "../auth/principal";
import type { UserDoc } from "../identity/model";
import { decodeContinuation, encodeContinuation } from "../store/continuation";
import { TenantRepository } from "../store/repository";
import type { ListUsersQuery } from "./schemas";
import { existingUser } from "./user-write";
import type { UserView } from "./user-views";
import { userView } from "./user-views";

const users = new TenantRepository<UserDoc>("identity");

/** The store's token, bound to the org (shared/store/continuation.ts). */
const storeToken = z.string().max(4096);

export async function listUsers(
  principal: Principal,
  query: ListUsersQuery,
): Promise<{ items: UserView[]; continuation: string | null }> {
  const filter = query.status ? " AND c.status = @status" : "";
  const page = await users.query<UserDoc>(
    principal.org_id,
    {
      query: `SELECT * FROM c WHERE c.org_id = @org_id AND c.type = 'user'${filter} ORDER BY c.email`,
      parameters: query.status ? [{ name: "@status", value: query.status }] : [],
    },
    {
      limit: query.limit,
      continuation:
        query.continuation === undefined
          ? undefined
          : decodeContinuation(principal.org_id, query.continuation, storeToken),
    },
  );
  return {
    items: page.items.map(userView),
    continuation: page.continuation ? encodeContinuation(principal.org_id, page.continuation) : null,
  };
}

export async function getUser(principal: Principal, userId: string): Promise<UserView> {
  return userView(await existingUser(principal.org_id, userId));
}
