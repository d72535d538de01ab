// Whether an agent snapshot may run again under the org's rules as they are now (docs/executions.md, "Retry").
import type { FieldIssue } from "../errors";
import { readOrg } from "../identity/repository";
import { AGENTS_ENTITLEMENT, productsUsedBy } from "./matching";
import { highImpactActionsOf, orgRuleIssues } from "./org-rules";
import type { Agent } from "./schema";
import { agentDocs, readSettings } from "./store";
import { isSystemAgentId } from "./system-catalogue";

/**
 * Every reason the snapshot cannot run today: the agent is gone, the org lost a product the agent uses (or the
 * agents product itself), or a high-impact action is no longer enabled (or no longer behind a gate). A snapshot
 * records what the agent was; what the org allows is read now, so a rerun never outlives a withdrawn consent.
 */
export async function currentRuleIssues(orgId: string, agent: Agent): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  const exists = agent.is_system
    ? isSystemAgentId(agent.id)
    : (await agentDocs.read(orgId, agent.id))?.kind === "agent";
  if (!exists) issues.push({ path: "agent_id", message: `agent ${agent.id} no longer exists` });
  const org = await readOrg(orgId);
  for (const product of [AGENTS_ENTITLEMENT, ...productsUsedBy(agent)]) {
    if (!org?.entitlements.includes(product))
      issues.push({ path: "entitlements", message: `the organization no longer holds ${product}` });
  }
  if (highImpactActionsOf(agent).length > 0) {
    const enabled = (await readSettings(orgId)).enabled_high_impact_actions;
    issues.push(...orgRuleIssues(agent, enabled).map((issue) => ({ ...issue, path: `agent.${issue.path}` })));
  }
  return issues;
}
