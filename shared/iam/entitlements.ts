// The platform operator sets an org's entitlements (docs/identity.md): products and at most one AI tier.
import { forgetOrg } from "../auth/auth-state";
import { now } from "../clock";
import { AppError, isAppError } from "../errors";
import { isOrgId, publicOrg } from "../identity/model";
import { readOrg } from "../identity/repository";
import { revokeLapsedServiceKeys } from "../keys/service-keys";
import { TenantRepository } from "../store/repository";
import type { OrgDoc } from "../identity/model";

const orgs = new TenantRepository<OrgDoc>("identity");

/** Replaces the whole list; the next token issued to any of the org's users carries it. */
export async function setEntitlements(orgId: string, entitlements: string[]) {
  if (!isOrgId(orgId)) throw new AppError("resource.not_found", "No such organization.");
  for (let attempt = 1; ; attempt++) {
    const org = await readOrg(orgId);
    if (!org) throw new AppError("resource.not_found", "No such organization.");
    const { _etag, ...stored } = org;
    const next: OrgDoc = { ...stored, entitlements, updated_at: now().toISOString() };
    try {
      await orgs.replace(next, _etag);
    } catch (error) {
      if (isAppError(error) && error.code === "precondition.failed" && attempt < 5) continue;
      throw error;
    }
    forgetOrg(orgId);
    // Introspection already refuses them (it reads the entitlements); this makes the keys themselves revoked.
    await revokeLapsedServiceKeys(orgId, entitlements);
    return publicOrg(next);
  }
}
