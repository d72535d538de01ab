// Who may manage an org's people and links (docs/identity.md): its owners and admins, with a Hub token.
import type { AuthPolicy } from "../auth/principal";

/** The org always comes from the token; integration keys have no say in IAM. */
export const ORG_ADMINS: AuthPolicy = { audience: "hub", orgRoles: ["owner", "admin"] };
