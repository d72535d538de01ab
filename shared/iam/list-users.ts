// Reading the org's users: one by id (a point read), or a page at a time with an org-bound continuation token.
import { createHash } from "node:crypto";
import { AppError } from "../errors";
import type { Principal } from "../auth/principal";
import type { UserDoc } from "../identity/model";
import { TenantRepository } from "../store/repository";
import type { ListUsersQuery } from "./schemas";
import { existingUser } from "./user-write";
import type { UserView } from "./user-views";
import { userView } from "./user-views";

const users = new TenantRepository<UserDoc>("identity");

/** The token names its org by a digest, so a token carried to another org is refused rather than misread. */
const orgTag = (orgId: string) => createHash("sha256").update(orgId).digest("base64url").slice(0, 12);

const invalidContinuation = () =>
  new AppError("request.invalid", "The continuation token is not valid.", {
    errors: [{ path: "query.continuation", message: "Invalid continuation token" }],
  });

function encode(orgId: string, storeToken: string): string {
  return Buffer.from(JSON.stringify({ o: orgTag(orgId), c: storeToken })).toString("base64url");
}

function decode(orgId: string, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      o?: unknown;
      c?: unknown;
    };
    if (parsed.o === orgTag(orgId) && typeof parsed.c === "string") return parsed.c;
  } catch {
    // fall through: not ours
  }
  throw invalidContinuation();
}

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
    { limit: query.limit, continuation: decode(principal.org_id, query.continuation) },
  );
  return {
    items: page.items.map(userView),
    continuation: page.continuation ? encode(principal.org_id, page.continuation) : null,
  };
}

export async function getUser(principal: Principal, userId: string): Promise<UserView> {
  return userView(await existingUser(principal.org_id, userId));
}
