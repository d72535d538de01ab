// Turns a gate's approvers list into the people to ask: addresses as given, users and roles as the org's active users.
import { now } from "../clock";
import type { Approver } from "../agents/steps";
import type { UserDoc } from "../identity/model";
import { findUserByEmail, readUser } from "../identity/repository";
import { TenantRepository } from "../store/repository";
import type { Recipient } from "./model";

const users = new TenantRepository<UserDoc>("identity");

/** Enough for any MSP's staff; a role that resolves to more is cut here, in email order. */
const MAX_ROLE_USERS = 500;

/** How an approvers entry is named in the audit's `resolved_from`. */
export function approverSource(entry: Approver): string {
  if (entry.email) return "email";
  if (entry.phone) return "phone";
  if (entry.user_id) return "user_id";
  if (entry.org_role) return `org_role:${entry.org_role}`;
  return `product_role:${entry.product_role!.product}:${entry.product_role!.role}`;
}

async function activeUsers(orgId: string): Promise<UserDoc[]> {
  const page = await users.query<UserDoc>(
    orgId,
    {
      query:
        "SELECT * FROM c WHERE c.org_id = @org_id AND c.type = 'user' AND c.status = 'active' ORDER BY c.email",
    },
    { limit: MAX_ROLE_USERS },
  );
  return page.items;
}

/**
 * Role entries hold the users with exactly that org role, or exactly that role in `product_access` (a role
 * implied by the org role does not count: list `org_role` too). An email that belongs to an active user of the
 * org is tied to that user, so the self-approval rule and the API know them.
 */
export async function resolveApprovers(
  orgId: string,
  approvers: Approver[],
  addedBy: "gate" | "escalation",
): Promise<{ recipients: Recipient[]; unreachable: string[] }> {
  const recipients: Recipient[] = [];
  const unreachable: string[] = [];
  const at = now().toISOString();
  let everyone: UserDoc[] | undefined;
  const add = (recipient: Omit<Recipient, "resolved_from" | "added_by" | "added_at">, source: string) => {
    const same = recipients.find(
      (known) =>
        known.identity === recipient.identity ||
        (recipient.user_id !== undefined && known.user_id === recipient.user_id),
    );
    if (same) same.resolved_from = [...new Set([...(same.resolved_from ?? []), source])];
    else recipients.push({ ...recipient, resolved_from: [source], added_by: addedBy, added_at: at });
  };
  for (const entry of approvers) {
    const source = approverSource(entry);
    if (entry.email) {
      const user = await findUserByEmail(entry.email);
      const member = user && user.org_id === orgId && user.status === "active" ? user : null;
      add(
        {
          identity: `email:${entry.email}`,
          channel: "email",
          address: entry.email,
          user_id: member?.user_id,
        },
        source,
      );
    } else if (entry.phone) {
      add({ identity: `phone:${entry.phone}`, channel: "sms", address: entry.phone }, source);
    } else if (entry.user_id) {
      const user = await readUser(orgId, entry.user_id);
      if (user?.status === "active")
        add({ identity: user.user_id, channel: "email", address: user.email, user_id: user.user_id }, source);
      else unreachable.push(entry.user_id);
    } else {
      everyone ??= await activeUsers(orgId);
      const matching = everyone.filter((user) =>
        entry.org_role
          ? user.orgRole === entry.org_role
          : user.product_access[entry.product_role!.product] === entry.product_role!.role,
      );
      if (matching.length === 0) unreachable.push(source);
      for (const user of matching)
        add({ identity: user.user_id, channel: "email", address: user.email, user_id: user.user_id }, source);
    }
  }
  return { recipients, unreachable };
}
