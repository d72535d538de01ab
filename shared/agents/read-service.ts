// Reading agents: one agent by id, and the merged list (system agents first, then the org's own) a page at a time.
import { AppError } from "../errors";
import type { Principal } from "../auth/principal";
import type { Agent } from "./schema";
import { findSystemAgent, SYSTEM_AGENTS } from "./system-catalogue";
import { decodeListPosition, encodeListPosition } from "./continuation";
import { agentDocs, readSettings } from "./store";
import type { VersionedAgent } from "./views";
import { agentOf, customVersion, systemVersion } from "./views";

/** Custom agent ids are server-made UUIDs; any other id that is not a system agent cannot exist. */
const CUSTOM_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isCustomAgentId = (id: string): boolean => CUSTOM_ID.test(id);

export const agentNotFound = (): AppError => new AppError("resource.not_found", "No such agent.");

/** One point read: the org's agent, or the org's settings for a system agent's state. */
export async function getAgent(principal: Principal, id: string): Promise<VersionedAgent> {
  const system = findSystemAgent(id);
  if (system) return systemVersion(system, await readSettings(principal.org_id));
  if (!isCustomAgentId(id)) throw agentNotFound();
  const doc = await agentDocs.read(principal.org_id, id);
  if (!doc || doc.kind !== "agent") throw agentNotFound();
  return customVersion(doc);
}

export interface AgentPage {
  items: Agent[];
  continuation: string | null;
}

const CUSTOM_AGENTS = {
  query: "SELECT * FROM c WHERE c.org_id = @org_id AND c.kind = @kind",
  parameters: [{ name: "@kind", value: "agent" }],
};

/**
 * A page of the merged list: system agents first (catalogue order, with this org's state from its settings
 * document), then the org's own agents (one query page in its partition). The settings read and the query run
 * side by side when a page needs both; a page beyond the system agents needs only the query.
 */
export async function listAgents(
  principal: Principal,
  page: { limit: number; continuation?: string },
): Promise<AgentPage> {
  const org = principal.org_id;
  const position = decodeListPosition(org, page.continuation);
  const systemSlice = SYSTEM_AGENTS.slice(position.system, position.system + page.limit);
  const systemServed = position.system + systemSlice.length;
  const room = page.limit - systemSlice.length;
  const wantsCustom = systemServed >= SYSTEM_AGENTS.length && room > 0;
  const [settings, custom] = await Promise.all([
    systemSlice.length ? readSettings(org) : null,
    wantsCustom
      ? agentDocs.query(org, CUSTOM_AGENTS, {
          limit: room,
          continuation: position.system < SYSTEM_AGENTS.length ? undefined : (position.store ?? undefined),
        })
      : null,
  ]);
  const items = [
    ...systemSlice.map((agent) => systemVersion(agent, settings!).agent),
    ...(custom?.items.map(agentOf) ?? []),
  ];
  if (!custom) return { items, continuation: encodeListPosition(org, { system: systemServed, store: null }) };
  return {
    items,
    continuation: custom.continuation
      ? encodeListPosition(org, { system: systemServed, store: custom.continuation })
      : null,
  };
}
