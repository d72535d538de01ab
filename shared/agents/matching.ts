// The matching rule (docs/events.md): which agents run for an event in an org. Pure: the caller loads the org's view.
import { allHold } from "./conditions";
import { matchesEventType } from "./event-type";
import { highImpactActionsOf } from "./org-rules";
import type { Agent, AgentStatus } from "./schema";
import { SYSTEM_AGENTS } from "./system-catalogue";

export const AGENTS_ENTITLEMENT = "agents";

/** What the rule needs to know about one org. */
export interface OrgAgentsView {
  org_id: string;
  entitlements: readonly string[];
  /** The org's own agents (any status). */
  custom: readonly Agent[];
  /** This org's state of each system agent; absent means active. */
  systemStatus: Readonly<Record<string, AgentStatus>>;
  /** High-impact actions (`defend.isolate_device`) the org enabled; an agent using a disabled one does not run. */
  enabledHighImpact: readonly string[];
}

/** The parts of a CloudEvent the rule reads. */
export interface MatchableEvent {
  type: string;
  orgid: string;
  data?: unknown;
}

/** An agent's trigger accepts the event: type pattern and every data filter. */
export function triggerMatches(agent: Pick<Agent, "trigger">, event: MatchableEvent): boolean {
  return (
    matchesEventType(agent.trigger.event_type, event.type) && allHold(agent.trigger.filter ?? [], event.data)
  );
}

/** A system agent runs only where the org holds every product its steps act on. */
export function productsUsedBy(agent: Pick<Agent, "steps">): string[] {
  return [...new Set(agent.steps.flatMap((step) => (step.type === "product_action" ? [step.product] : [])))];
}

/**
 * The agents to run for `event` in `org`: its active custom agents that match, then the system agents
 * that match and are neither paused by the org nor overridden by one of its matching custom agents.
 * Nothing at all without the `agents` entitlement, and nothing for an event of another org. A custom agent
 * using a high-impact action the org has since disabled does not run (nor does it override anything).
 */
export function agentsForEvent(
  org: OrgAgentsView,
  event: MatchableEvent,
  systemAgents: readonly Agent[] = SYSTEM_AGENTS,
): Agent[] {
  if (event.orgid !== org.org_id || !org.entitlements.includes(AGENTS_ENTITLEMENT)) return [];
  const custom = org.custom.filter(
    (agent) =>
      agent.org_id === org.org_id &&
      !agent.is_system &&
      agent.status === "active" &&
      triggerMatches(agent, event) &&
      highImpactActionsOf(agent).every((key) => org.enabledHighImpact.includes(key)),
  );
  const overridden = new Set<string>();
  let overridesAll = false;
  for (const agent of custom) {
    if (agent.conflict_behavior !== "override_system") continue;
    if (!agent.overrides) overridesAll = true;
    else agent.overrides.forEach((id) => overridden.add(id));
  }
  const system = systemAgents.filter(
    (agent) =>
      !overridesAll &&
      !overridden.has(agent.id) &&
      (org.systemStatus[agent.id] ?? "active") === "active" &&
      productsUsedBy(agent).every((product) => org.entitlements.includes(product)) &&
      triggerMatches(agent, event),
  );
  return [...custom, ...system];
}
