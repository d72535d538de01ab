// Inviting a user (docs/identity.md#invitations): the link, its email, and the admin's resend and revoke.
import type { Principal } from "../auth/principal";
import { now } from "../clock";
import { AppError } from "../errors";
import type { InvitationState, OrgDoc, UserDoc } from "../identity/model";
import { readOrg, readUser } from "../identity/repository";
import { assertMayManage } from "../iam/permissions";
import { existingUser, modifyUser, nextVersion } from "../iam/user-write";
import { issueUserLink, retireUserLink } from "../links/link-record";
import { sendNotification } from "../notify/notifier";
import { invitationEmail } from "./messages";

/** How long an invitation link works. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export const invitationPath = (token: string): string => `/api/invitations/${token}`;

export interface IssuedInvitation {
  state: InvitationState;
  url: string;
}

/** A new single-use link for the user, its record written; the caller stores `state` on the user. */
export async function issueInvitation(orgId: string, userId: string): Promise<IssuedInvitation> {
  const link = await issueUserLink({
    purpose: "invitation",
    orgId,
    userId,
    lifetimeMs: INVITATION_LIFETIME_MS,
    path: invitationPath,
  });
  return {
    url: link.url,
    state: {
      link_id: link.linkId,
      sent_at: now().toISOString(),
      expires_at: link.expiresAt,
      status: "pending",
    },
  };
}

/** One email per link (the link id is the idempotency key), from the inviting user when there is one. */
export async function sendInvitation(
  org: OrgDoc,
  user: UserDoc,
  invitation: IssuedInvitation,
  invitedBy: string | undefined,
): Promise<void> {
  const inviter = invitedBy ? await readUser(org.org_id, invitedBy) : null;
  const email = invitationEmail(
    org.name,
    inviter ? `${inviter.firstName} ${inviter.lastName}` : null,
    invitation.url,
    invitation.state.expires_at,
  );
  await sendNotification({
    channel: "email",
    to: user.email,
    subject: email.subject,
    text: email.text,
    org_id: org.org_id,
    idempotency_key: `invitation:${invitation.state.link_id}`,
  });
}

const noInvitation = () =>
  new AppError(
    "resource.conflict",
    "The user has set a password or is deactivated: there is nothing to invite.",
  );

/** Only an active user who never set a password can be (re-)invited, by someone allowed to manage them. */
function assertInvitable(principal: Principal, user: UserDoc): void {
  assertMayManage(principal.orgRole, user);
  if (user.password_hash !== undefined || user.status !== "active") throw noInvitation();
}

/** A new link for a user who has not set a password (the old link dies); revoked invitations come back. */
export async function resendInvitation(principal: Principal, userId: string): Promise<UserDoc> {
  const org = await readOrg(principal.org_id);
  if (!org) throw new AppError("auth.forbidden", "The organization is not available.");
  assertInvitable(principal, await existingUser(principal.org_id, userId));
  const issued = await issueInvitation(principal.org_id, userId);
  let previous: string | undefined;
  const user = await modifyUser(principal.org_id, userId, (current) => {
    assertInvitable(principal, current);
    previous = current.invitation?.link_id;
    return { user: nextVersion(current, { invitation: issued.state }), events: [] };
  });
  if (previous) await retireUserLink(principal.org_id, previous);
  await sendInvitation(org, user, issued, principal.user_id);
  return user;
}

/** The link dies at once; the user stays, invited but unable to accept until an admin resends. */
export async function revokeInvitation(principal: Principal, userId: string): Promise<UserDoc> {
  const user = await modifyUser(principal.org_id, userId, (current) => {
    assertMayManage(principal.orgRole, current);
    if (!current.invitation) throw new AppError("resource.conflict", "The user has no invitation to revoke.");
    if (current.invitation.status === "revoked") return null;
    return {
      user: nextVersion(current, { invitation: { ...current.invitation, status: "revoked" } }),
      events: [],
    };
  });
  if (user.invitation) await retireUserLink(principal.org_id, user.invitation.link_id);
  return user;
}
