// Two orgs for the Agents API tests: each owner's caller (an Agents admin) and a technician of org A.
import type { DevHost } from "../../devhost/host";
import { agentsCaller } from "./agents-api";
import type { AgentsCaller } from "./agents-api";
import { accessToken, bearer, createOrg, login, userToken } from "./identity";

export interface TwoOrgs {
  orgA: string;
  orgB: string;
  adminA: AgentsCaller;
  adminB: AgentsCaller;
  technicianA: AgentsCaller;
}

export async function twoOrgs(host: Pick<DevHost, "url">): Promise<TwoOrgs> {
  const [a, b] = await Promise.all([createOrg(host), createOrg(host)]);
  const ownerToken = async (owner: { email: string; password: string }) =>
    accessToken(host, await login(host, owner.email, owner.password), "agents");
  const technician = await userToken(
    host,
    a,
    { orgRole: "member", product_access: { agents: "technician" } },
    "agents",
  );
  return {
    orgA: a.orgId,
    orgB: b.orgId,
    adminA: agentsCaller(host, bearer(await ownerToken(a.owner))),
    adminB: agentsCaller(host, bearer(await ownerToken(b.owner))),
    technicianA: agentsCaller(host, bearer(technician.token)),
  };
}

/** The shipped system agents, in catalogue (and list) order. */
export const SYSTEM_IDS = [
  "sys-onboard-new-user",
  "sys-offboard-deactivated-user",
  "sys-review-privilege-escalation",
  "sys-notify-account-locked",
];
