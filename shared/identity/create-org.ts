// Creating an org and its owner (docs/identity.md), for the platform operator and the devhost seed.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { hashAllowedPassword, passwordFieldSchema } from "../auth/password-policy";
import { now } from "../clock";
import type { OrgDoc, UserDoc } from "./model";
import {
  entitlementsSchema,
  normalizeEmail,
  publicOrg,
  publicOrgSchema,
  publicUser,
  publicUserSchema,
  userDocId,
} from "./model";
import { claimSlug, createUser, releaseSlug } from "./repository";

/** The answer of POST /api/orgs. */
export const createdOrgSchema = z.object({ org: publicOrgSchema, owner: publicUserSchema });

export const personSchema = {
  email: z.email().max(254),
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
};

export const createOrgSchema = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "lowercase letters, digits and dashes"),
  name: z.string().trim().min(1).max(200),
  entitlements: entitlementsSchema.default([]),
  owner: z.object({ ...personSchema, password: passwordFieldSchema }),
});

export type CreateOrgInput = z.infer<typeof createOrgSchema>;

/** Claims the slug, then writes the org and its owner (which claims the email); `resource.conflict` if either is taken. */
export async function createOrg(input: CreateOrgInput, orgId: string = randomUUID()) {
  // The password rules come before any I/O, so a refused password never claims the slug.
  const passwordHash = await hashAllowedPassword(input.owner.password, input.owner.email, "owner.password");
  const at = now();
  await claimSlug(input.slug, orgId, at);
  try {
    const timestamp = at.toISOString();
    const org: OrgDoc = {
      id: "org",
      org_id: orgId,
      type: "org",
      slug: input.slug,
      name: input.name,
      status: "active",
      entitlements: input.entitlements,
      created_at: timestamp,
      updated_at: timestamp,
    };
    const userId = randomUUID();
    const owner: UserDoc = {
      id: userDocId(userId),
      org_id: orgId,
      type: "user",
      user_id: userId,
      email: normalizeEmail(input.owner.email),
      firstName: input.owner.firstName,
      lastName: input.owner.lastName,
      orgRole: "owner",
      status: "active",
      product_access: {},
      password_hash: passwordHash,
      created_at: timestamp,
      updated_at: timestamp,
    };
    await createUser(owner, [], [{ operationType: "Create", resourceBody: { ...org } }]);
    return { org: publicOrg(org), owner: publicUser(owner) };
  } catch (error) {
    await releaseSlug(input.slug).catch(() => undefined);
    throw error;
  }
}
