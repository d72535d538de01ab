// The org's second-factor policy (docs/auth.md): who must have signed in with a second factor to get any token.
import { forgetOrg } from "../auth/auth-state";
import type { Principal } from "../auth/principal";
import type { SessionDoc } from "../auth/session";
import { amrOf } from "../auth/session";
import { now } from "../clock";
import { AppError } from "../errors";
import type { MfaPolicy, OrgDoc, UserDoc } from "../identity/model";
import { TenantRepository } from "../store/repository";

const orgs = new TenantRepository<OrgDoc>("identity");

export const mfaPolicyOf = (org: Pick<OrgDoc, "mfa_policy">): MfaPolicy => org.mfa_policy ?? "off";

/** `admins` covers the org's owners and admins; `all` everyone. */
export function secondFactorRequired(
  org: Pick<OrgDoc, "mfa_policy">,
  user: Pick<UserDoc, "orgRole">,
): boolean {
  const policy = mfaPolicyOf(org);
  if (policy === "all") return true;
  return policy === "admins" && (user.orgRole === "owner" || user.orgRole === "admin");
}

export const SECOND_FACTOR_NEEDED =
  "Your organization requires a second factor to sign in. Set up an authenticator app (POST /api/auth/mfa/totp " +
  "with your Hub session), or, if you have one, sign in again with its code.";

/** A user in the policy's scope whose session was not signed in with a second factor gets no token. */
export const lacksRequiredSecondFactor = (
  org: Pick<OrgDoc, "mfa_policy">,
  user: Pick<UserDoc, "orgRole">,
  session: Pick<SessionDoc, "amr">,
): boolean => secondFactorRequired(org, user) && !amrOf(session).includes("otp");

/** Refuses the token; the session itself stays, so the user can still enrol with it. */
export function assertSecondFactorIfRequired(
  org: Pick<OrgDoc, "mfa_policy">,
  user: Pick<UserDoc, "orgRole">,
  session: Pick<SessionDoc, "amr">,
): void {
  if (lacksRequiredSecondFactor(org, user, session))
    throw new AppError("auth.forbidden", SECOND_FACTOR_NEEDED);
}

/** Owners set it for their own org; another org's id answers 404 like any resource of another org. */
export async function setMfaPolicy(
  principal: Principal,
  orgId: string,
  policy: MfaPolicy,
): Promise<MfaPolicy> {
  if (orgId !== principal.org_id) throw new AppError("resource.not_found", "No such organization.");
  const org = await orgs.patch(orgId, "org", [
    { op: "set", path: "/mfa_policy", value: policy },
    { op: "set", path: "/updated_at", value: now().toISOString() },
  ]);
  if (!org) throw new AppError("resource.not_found", "No such organization.");
  forgetOrg(orgId);
  return policy;
}
