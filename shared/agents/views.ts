// How agents are served: stored documents without storage fields, system agents with this org's state, HTTP ETags.
import type { Principal } from "../auth/principal";
import type { Agent } from "./schema";
import type { AgentDoc, AgentsSettingsDoc } from "./store";

export interface VersionedAgent {
  agent: Agent;
  etag: string;
}

/** An agent as the API shows it: no `kind`, no Cosmos fields (named, not filtered: this runs on every read). */
export function agentOf(doc: AgentDoc): Agent {
  const stored = doc as AgentDoc &
    Record<"_rid" | "_self" | "_etag" | "_attachments" | "_ts" | "_lsn", unknown>;
  const { kind: _kind, ttl: _ttl, _rid, _self, _etag, _attachments, _ts, _lsn, ...agent } = stored;
  return agent;
}

/** Cosmos etags are opaque strings (quoted in Azure, bare in the emulator); HTTP's are always quoted. */
export const httpEtag = (storeEtag: string): string =>
  storeEtag.startsWith('"') ? storeEtag : `"${storeEtag}"`;

export function customVersion(doc: AgentDoc & { _etag: string }): VersionedAgent {
  return { agent: agentOf(doc), etag: httpEtag(doc._etag) };
}

/** A system agent as one org sees it: the shipped definition with that org's status. */
export function systemVersion(agent: Agent, settings: AgentsSettingsDoc): VersionedAgent {
  const state = settings.system_agents[agent.id];
  const status = state?.status ?? "active";
  const updated_at = state && state.updated_at > agent.updated_at ? state.updated_at : agent.updated_at;
  return {
    agent: { ...agent, status, updated_at },
    etag: `"system-${agent.id}-v${agent.version}-${status}-${Date.parse(updated_at)}"`,
  };
}

/** Who did it, as written in `created_by`/`updated_by`: the user, or the integration key. */
export const actorOf = (principal: Principal): string =>
  principal.user_id ?? (principal.key_id ? `key:${principal.key_id}` : "unknown");
