// What the IAM API answers for a user: the public fields, never the password hash.
import type { UserDoc } from "../identity/model";
import { publicUser } from "../identity/model";

export const userView = (user: UserDoc) => ({
  ...publicUser(user),
  created_at: user.created_at,
  updated_at: user.updated_at,
  ...(user.deactivated_at ? { deactivated_at: user.deactivated_at } : {}),
});

export type UserView = ReturnType<typeof userView>;
