// What the IAM API answers for a user: the public fields, never the password hash.
import { z } from "zod";
import { json } from "../http/route";
import { nowMs } from "../clock";
import type { UserDoc } from "../identity/model";
import { publicUser, publicUserSchema } from "../identity/model";

export const userViewSchema = publicUserSchema
  .extend({
    created_at: z.string(),
    updated_at: z.string(),
    deactivated_at: z.string().optional(),
    invitation: z
      .object({
        status: z.enum(["pending", "expired", "revoked"]),
        sent_at: z.string(),
        expires_at: z.string(),
      })
      .optional()
      .describe("While the user has not accepted their invitation (absent once they set a password)"),
  })
  .meta({ id: "User" });

export type UserView = z.infer<typeof userViewSchema>;

export const userListSchema = z.object({
  items: z.array(userViewSchema),
  continuation: z.string().nullable().describe("Pass as ?continuation= for the next page; null at the end"),
});

export const userView = (user: UserDoc): UserView => ({
  ...publicUser(user),
  created_at: user.created_at,
  updated_at: user.updated_at,
  ...(user.deactivated_at ? { deactivated_at: user.deactivated_at } : {}),
  ...(user.invitation ? { invitation: invitationView(user.invitation) } : {}),
});

/** What an admin learns of an invitation: only that it is not accepted, and why the link no longer works if so. */
function invitationView(invitation: NonNullable<UserDoc["invitation"]>): NonNullable<UserView["invitation"]> {
  const expired = invitation.status === "pending" && nowMs() >= Date.parse(invitation.expires_at);
  return {
    status: expired ? "expired" : invitation.status,
    sent_at: invitation.sent_at,
    expires_at: invitation.expires_at,
  };
}

/** A user as the IAM routes answer it: never cached (it names the person and their access). */
export const userResponse = (status: number, user: UserDoc, headers: Record<string, string> = {}) =>
  json(status, userView(user), { "cache-control": "no-store", ...headers });
