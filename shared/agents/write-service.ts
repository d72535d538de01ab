// Changing agents: create, replace (If-Match), delete, pause/activate; system agents only change the org's state.
import { randomUUID } from "node:crypto";
import { now } from "../clock";
import { AppError } from "../errors";
import type { Principal } from "../auth/principal";
import { highImpactActionsOf, orgRuleIssues, refuseOnIssues } from "./org-rules";
import type { AgentDefinition, AgentStatus } from "./schema";
import { agentNotFound, isCustomAgentId } from "./read-service";
import { findSystemAgent } from "./system-catalogue";
import type { AgentDoc } from "./store";
import { agentDocs, readSettings, stripSystemFields, updateSettings } from "./store";
import { writeStamped } from "./view-stamp";
import type { VersionedAgent } from "./views";
import { actorOf, customVersion, httpEtag, systemVersion } from "./views";

/** A batch write returns the document it wrote; Cosmos always does for a create or replace. */
function written(doc: (AgentDoc & { _etag: string }) | undefined): AgentDoc & { _etag: string } {
  if (!doc) throw new AppError("internal", "The store returned no document for a write.");
  return doc;
}

const systemReadOnly = () =>
  new AppError("agent.system_read_only", "System agents are read-only; pause or activate them instead.");

/** The org's rules; its settings are read only when the definition uses a high-impact action. */
export async function checkOrgRules(orgId: string, definition: AgentDefinition): Promise<void> {
  const enabled = highImpactActionsOf(definition).length
    ? (await readSettings(orgId)).enabled_high_impact_actions
    : [];
  refuseOnIssues(orgRuleIssues(definition, enabled));
}

export async function createAgent(
  principal: Principal,
  definition: AgentDefinition,
): Promise<VersionedAgent> {
  await checkOrgRules(principal.org_id, definition);
  const at = now().toISOString();
  const doc: AgentDoc = {
    ...definition,
    id: randomUUID(),
    org_id: principal.org_id,
    kind: "agent",
    is_system: false,
    created_at: at,
    created_by: actorOf(principal),
    updated_at: at,
    version: 1,
  };
  let created: (AgentDoc & { _etag: string }) | undefined;
  try {
    created = await writeStamped(principal.org_id, { create: doc });
  } catch (error) {
    if (error instanceof AppError && error.code === "resource.conflict")
      throw new AppError("internal", "A fresh agent id collided.");
    throw error;
  }
  return customVersion(written(created));
}

/** The stored agent the caller may change: 403 for a system agent, 404 for anything not in the caller's org. */
async function readOwnAgent(principal: Principal, id: string) {
  if (findSystemAgent(id)) throw systemReadOnly();
  if (!isCustomAgentId(id)) throw agentNotFound();
  const doc = await agentDocs.read(principal.org_id, id);
  if (!doc || doc.kind !== "agent") throw agentNotFound();
  return doc;
}

/** If-Match uses strong comparison: a weak or stale tag fails. */
function checkIfMatch(ifMatch: string, storeEtag: string): void {
  if (ifMatch.trim() === "*") return;
  const tags = ifMatch.split(",").map((tag) => tag.trim());
  if (!tags.includes(httpEtag(storeEtag)))
    throw new AppError("precondition.failed", "The agent was changed since you read it; read it again.");
}

export async function replaceAgent(
  principal: Principal,
  id: string,
  definition: AgentDefinition,
  ifMatch: string | null,
): Promise<VersionedAgent> {
  if (findSystemAgent(id)) throw systemReadOnly();
  if (!ifMatch)
    throw new AppError("precondition.required", "Send If-Match with the ETag of the agent you read.");
  const stored = await readOwnAgent(principal, id);
  checkIfMatch(ifMatch, stored._etag);
  await checkOrgRules(principal.org_id, definition);
  const doc: AgentDoc = {
    ...definition,
    id,
    org_id: principal.org_id,
    kind: "agent",
    is_system: false,
    created_at: stored.created_at,
    created_by: stored.created_by,
    updated_at: now().toISOString(),
    version: stored.version + 1,
  };
  // The store re-checks the etag, so a writer that slipped in between the read and this write still gets 412.
  return customVersion(
    written(await writeStamped(principal.org_id, { replace: doc, ifMatch: stored._etag })),
  );
}

export async function deleteAgent(principal: Principal, id: string, ifMatch: string | null): Promise<void> {
  if (findSystemAgent(id)) throw systemReadOnly();
  if (!isCustomAgentId(id)) throw agentNotFound();
  let etag: string | undefined;
  if (ifMatch) {
    const stored = await readOwnAgent(principal, id);
    checkIfMatch(ifMatch, stored._etag);
    etag = stored._etag;
  }
  try {
    await writeStamped(principal.org_id, { delete: id, ifMatch: etag });
  } catch (error) {
    if (error instanceof AppError && error.code === "resource.not_found") throw agentNotFound();
    throw error;
  }
}

const MAX_ATTEMPTS = 5;

/**
 * Pause or activate. A system agent changes only this org's state. A custom agent is re-checked when
 * activated, since the org may have disabled a high-impact action it uses since it was saved.
 */
export async function setAgentStatus(
  principal: Principal,
  id: string,
  status: AgentStatus,
): Promise<VersionedAgent> {
  const org = principal.org_id;
  const system = findSystemAgent(id);
  if (system) {
    const settings = await updateSettings(org, actorOf(principal), (doc) => {
      if ((doc.system_agents[id]?.status ?? "active") === status) return false;
      doc.system_agents[id] = { status, updated_at: now().toISOString(), updated_by: actorOf(principal) };
      return true;
    });
    return systemVersion(system, settings);
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await readOwnAgent(principal, id);
    if (stored.status === status) return customVersion(stored);
    if (status === "active") await checkOrgRules(org, stored);
    const next: AgentDoc = {
      ...stripSystemFields(stored),
      status,
      updated_at: now().toISOString(),
      version: stored.version + 1,
    };
    try {
      return customVersion(written(await writeStamped(org, { replace: next, ifMatch: stored._etag })));
    } catch (error) {
      if (!(error instanceof AppError && error.code === "precondition.failed")) throw error;
    }
  }
  throw new AppError("resource.conflict", "The agent is being changed by someone else; try again.");
}
