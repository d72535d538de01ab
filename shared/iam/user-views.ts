// What the IAM API answers for a user: the public fields, never the password hash.
import { z } from "zod";
import type { UserDoc } from "../identity/model";
import { publicUser, publicUserSchema } from "../identity/model";

export const userViewSchema = publicUserSchema
  .extend({
    created_at: z.string(),
    updated_at: z.string(),
    deactivated_at: z.string().optional(),
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
});
