// The IAM API's request shapes (docs/identity.md) and the product-access rules every grant goes through.
import { z } from "zod";
import { AppError } from "../errors";
import type { FieldIssue } from "../errors";
import { personSchema } from "../identity/create-org";
import type { OrgDoc } from "../identity/model";
import { entitlementsSchema, ORG_ROLES, productSlug } from "../identity/model";

export const orgRoleSchema = z.enum(ORG_ROLES);
export const productRoleSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "must be a role slug");

/** The Agents roles a grant may name (docs/identity.md); other products' roles are theirs to define. */
const AGENTS_PRODUCT_ROLES = ["admin", "technician"];

/** Strict: a `password` is refused, never dropped in silence (the person sets it through the invitation). */
export const createUserSchema = z.strictObject({
  ...personSchema,
  orgRole: orgRoleSchema,
  product_access: z.record(productSlug, productRoleSchema).optional(),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z.strictObject({
  firstName: personSchema.firstName.optional(),
  lastName: personSchema.lastName.optional(),
  orgRole: orgRoleSchema.optional(),
});
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const grantSchema = z.object({ role: productRoleSchema });

export const entitlementsBodySchema = z.object({ entitlements: entitlementsSchema });

/** Route ids look like user ids or answer 404, as an unknown user does (never a store error on odd characters). */
export const userIdParams = z.object({ id: z.string() });
export const accessParams = z.object({ id: z.string(), product: z.string() });

export const listUsersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  continuation: z.string().max(8192).optional(),
  status: z.enum(["active", "deactivated"]).optional(),
});
export type ListUsersQuery = z.infer<typeof listUsersQuery>;

/** The problems of granting `role` on `product` in this org: a known slug, an entitled product, a valid role. */
function accessIssues(org: OrgDoc, product: string, role: string, path: string): FieldIssue[] {
  if (!productSlug.safeParse(product).success || product === "hub") {
    return [{ path, message: "must be a product slug" }];
  }
  if (!org.entitlements.includes(product)) {
    return [{ path, message: `the organization is not entitled to ${product}` }];
  }
  if (product === "agents" && !AGENTS_PRODUCT_ROLES.includes(role)) {
    return [{ path: `${path}.role`, message: `must be one of ${AGENTS_PRODUCT_ROLES.join(", ")}` }];
  }
  return [];
}

export function assertGrantable(org: OrgDoc, access: Record<string, string>, pathOf: (p: string) => string) {
  const issues = Object.entries(access).flatMap(([product, role]) =>
    accessIssues(org, product, role, pathOf(product)),
  );
  if (issues.length > 0) {
    throw new AppError("request.invalid", "Product access cannot be granted.", { errors: issues });
  }
}
