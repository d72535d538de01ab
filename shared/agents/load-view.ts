// Loads what the matching rule needs for one org: its agents and its settings, in one query of its partition.
import type { OrgAgentsView } from "./matching";
import type { Agent } from "./schema";
import type { AgentDoc, AgentsSettingsDoc } from "./store";
import { agentDocs, emptySettings } from "./store";
import { agentOf } from "./views";

const ALL_AGENT_DOCS = {
  query: "SELECT * FROM c WHERE c.org_id = @org_id AND (c.kind = @agent OR c.kind = @settings)",
  parameters: [
    { name: "@agent", value: "agent" },
    { name: "@settings", value: "agents_settings" },
  ],
};

/** Every page of the org's partition of `agents` (custom agents are few per org; the settings are one document). */
export async function loadOrgAgentsView(
  orgId: string,
  entitlements: readonly string[],
): Promise<OrgAgentsView> {
  const custom: Agent[] = [];
  let settings: AgentsSettingsDoc = emptySettings(orgId);
  let continuation: string | undefined;
  do {
    const page = await agentDocs.query<AgentDoc | AgentsSettingsDoc>(orgId, ALL_AGENT_DOCS, {
      limit: 500,
      continuation,
    });
    for (const doc of page.items) {
      if (doc.kind === "agent") custom.push(agentOf(doc));
      else settings = doc;
    }
    continuation = page.continuation ?? undefined;
  } while (continuation);
  return {
    org_id: orgId,
    entitlements,
    custom,
    systemStatus: Object.fromEntries(
      Object.entries(settings.system_agents).map(([id, state]) => [id, state.status]),
    ),
    enabledHighImpact: settings.enabled_high_impact_actions,
  };
}
