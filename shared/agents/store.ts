// Where agents live: container `agents`, partition = org; custom agents and one settings document per org.
import { AppError } from "../errors";
import { now } from "../clock";
import type { StoredDoc } from "../store/repository";
import { TenantRepository } from "../store/repository";
import type { Agent, AgentStatus } from "./schema";
import { writeStamped } from "./view-stamp";

/** A custom agent as stored (system agents are stored the same way under org "system" by the seed). */
export type AgentDoc = Agent & StoredDoc & { kind: "agent" };

export interface SystemAgentState {
  status: AgentStatus;
  updated_at: string;
  updated_by: string;
}

/** One per org: the high-impact actions it enabled and its state of each system agent, read with one point read. */
export interface AgentsSettingsDoc extends StoredDoc {
  kind: "agents_settings";
  enabled_high_impact_actions: string[];
  system_agents: Record<string, SystemAgentState>;
  updated_at: string;
  updated_by: string;
}

export const SETTINGS_DOC_ID = "agents-settings";

export const agentDocs = new TenantRepository<AgentDoc>("agents");
export const settingsDocs = new TenantRepository<AgentsSettingsDoc>("agents");

export function emptySettings(orgId: string): AgentsSettingsDoc {
  return {
    id: SETTINGS_DOC_ID,
    org_id: orgId,
    kind: "agents_settings",
    enabled_high_impact_actions: [],
    system_agents: {},
    updated_at: new Date(0).toISOString(),
    updated_by: "system",
  };
}

/** The org's settings (defaults when it never saved any): one point read. */
export async function readSettings(orgId: string): Promise<AgentsSettingsDoc> {
  return (await settingsDocs.read(orgId, SETTINGS_DOC_ID)) ?? emptySettings(orgId);
}

const MAX_ATTEMPTS = 5;

/**
 * Read-modify-write of the settings document, guarded by its etag and retried when another writer got there
 * first (two admins pausing two system agents at once must both win), with a new view stamp in the same batch.
 * `change` returns false when there is nothing to write.
 */
export async function updateSettings(
  orgId: string,
  updatedBy: string,
  change: (settings: AgentsSettingsDoc) => boolean,
): Promise<AgentsSettingsDoc> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await settingsDocs.read(orgId, SETTINGS_DOC_ID);
    const next = structuredClone(stripSystemFields(stored ?? emptySettings(orgId)));
    if (!change(next)) return stored ?? next;
    next.updated_at = now().toISOString();
    next.updated_by = updatedBy;
    try {
      const written = await writeStamped<AgentsSettingsDoc>(
        orgId,
        stored ? { replace: next, ifMatch: stored._etag } : { create: next },
      );
      if (written) return written;
    } catch (error) {
      // Another writer created or changed the document first: read it again.
      if (!(
        error instanceof AppError &&
        (error.code === "precondition.failed" || error.code === "resource.conflict")
      ))
        throw error;
    }
  }
  throw new AppError(
    "resource.conflict",
    "The agents settings are being changed by someone else; try again.",
  );
}

/** Cosmos' own fields (`_etag`, `_rid`, …) never go back into a write. */
export function stripSystemFields<T extends object>(doc: T): T {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith("_"))) as T;
}
