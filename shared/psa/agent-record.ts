// The PSA agent record Hub wants for a user (docs/events.md): one whole record, derived from the user as Hub stores it.
import type { OrgRole } from "../auth/principal";
import type { UserDoc } from "../identity/model";

export type PsaRole = "admin" | "agent" | "read_only";

export interface PsaAgentRecord {
  portal_user_id: string;
  org_id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: PsaRole;
  active: boolean;
}

const PSA_ROLE: Record<OrgRole, PsaRole> = {
  owner: "admin",
  admin: "admin",
  member: "agent",
  viewer: "read_only",
};

/** Active while the user is active and holds `psa` access; the role follows the org role, not the product role. */
export function desiredPsaRecord(user: UserDoc): PsaAgentRecord {
  return {
    portal_user_id: user.user_id,
    org_id: user.org_id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    role: PSA_ROLE[user.orgRole],
    active: user.status === "active" && user.product_access.psa !== undefined,
  };
}

const FIELDS = ["portal_user_id", "org_id", "email", "firstName", "lastName", "role", "active"] as const;

export const samePsaRecord = (a: PsaAgentRecord, b: PsaAgentRecord): boolean =>
  FIELDS.every((field) => a[field] === b[field]);
