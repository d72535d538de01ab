// What the fan-out needs to know about one org's agents partition: its agents, its settings and its credit budget,
// kept per process under the partition's view stamp (docs/agents.md, "How an event finds its agents").
import type { BudgetInput } from "../executions/budget";
import { StampedCache } from "../store/stamped-cache";
import type { OrgAgentsView } from "./matching";
import type { Agent } from "./schema";
import type { AgentDoc, AgentsSettingsDoc } from "./store";
import { agentDocs, emptySettings } from "./store";
import { readViewStamp } from "./view-stamp";
import { agentOf } from "./views";

/** The documents of the budget the org set (PUT /api/agents/budget), as stored beside its agents. */
interface BudgetFields extends BudgetInput {
  kind: "budget";
}

export interface OrgFanOutView extends OrgAgentsView {
  /** The org's monthly credit budget, or null when it set none. */
  budget: BudgetInput | null;
}

type PartitionView = Omit<OrgFanOutView, "org_id" | "entitlements">;

const PARTITION_DOCS = {
  query:
    "SELECT * FROM c WHERE c.org_id = @org_id AND (c.kind = @agent OR c.kind = @settings OR c.kind = @budget)",
  parameters: [
    { name: "@agent", value: "agent" },
    { name: "@settings", value: "agents_settings" },
    { name: "@budget", value: "budget" },
  ],
};

/** A view no write has replaced is re-read after this long anyway (an edit behind the API replaces no stamp). */
const VIEW_MAX_AGE_MS = 5 * 60 * 1000;

const views = new StampedCache<PartitionView>(VIEW_MAX_AGE_MS);

/** Every page of the org's partition of `agents` (custom agents are few per org; settings and budget one each). */
async function queryPartition(orgId: string): Promise<PartitionView> {
  const custom: Agent[] = [];
  let settings = emptySettings(orgId);
  let budget: BudgetInput | null = null;
  let continuation: string | undefined;
  do {
    const page = await agentDocs.query<AgentDoc | AgentsSettingsDoc | BudgetFields>(orgId, PARTITION_DOCS, {
      limit: 500,
      continuation,
    });
    for (const doc of page.items) {
      if (doc.kind === "agent") custom.push(agentOf(doc));
      else if (doc.kind === "agents_settings") settings = doc;
      else budget = { monthly_credits: doc.monthly_credits, alert_percent: doc.alert_percent };
    }
    continuation = page.continuation ?? undefined;
  } while (continuation);
  return {
    custom,
    systemStatus: Object.fromEntries(
      Object.entries(settings.system_agents).map(([id, state]) => [id, state.status]),
    ),
    enabledHighImpact: settings.enabled_high_impact_actions,
    budget,
  };
}

/**
 * The org's agents, settings and budget as they are now: one point read of the view stamp while this process
 * holds the view under that stamp, else the stamp and one query of the partition. Every agent, settings and
 * budget write replaces the stamp in its own batch, so a paused agent never runs from a view cached before.
 */
export async function currentFanOutView(
  orgId: string,
  entitlements: readonly string[],
): Promise<OrgFanOutView> {
  const stamp = await readViewStamp(orgId);
  const view = await views.get(orgId, stamp, () => queryPartition(orgId));
  return { org_id: orgId, entitlements, ...view };
}
