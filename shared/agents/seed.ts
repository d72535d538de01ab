// Writes the shipped system agents under org "system" at start-up, idempotently, and retires ones no longer shipped.
import type { Logger } from "../log";
import type { AgentDoc } from "./store";
import { agentDocs, stripSystemFields } from "./store";
import { SYSTEM_AGENTS, SYSTEM_ORG_ID } from "./system-catalogue";

/**
 * Request paths serve system agents from the catalogue in code (no store read); the stored copies are the
 * record of what this deployment ships, for anything that reads the store directly. A copy is rewritten
 * only when its content differs, so every instance may run this at start-up.
 */
export async function seedSystemAgents(
  log?: Pick<Logger, "info">,
): Promise<{ written: number; retired: number }> {
  let written = 0;
  for (const agent of SYSTEM_AGENTS) {
    const wanted: AgentDoc = { ...agent, kind: "agent" };
    const stored = await agentDocs.read(SYSTEM_ORG_ID, agent.id);
    if (stored && stableJson(stripSystemFields(stored)) === stableJson(wanted)) continue;
    await agentDocs.upsert(wanted);
    written++;
  }
  const shipped = new Set(SYSTEM_AGENTS.map((agent) => agent.id));
  let retired = 0;
  let continuation: string | undefined;
  do {
    const page = await agentDocs.query<{ id: string }>(
      SYSTEM_ORG_ID,
      { query: "SELECT c.id FROM c WHERE c.org_id = @org_id" },
      { limit: 100, continuation },
    );
    for (const { id } of page.items) {
      if (shipped.has(id)) continue;
      await agentDocs.delete(SYSTEM_ORG_ID, id);
      retired++;
    }
    continuation = page.continuation ?? undefined;
  } while (continuation);
  if (written || retired) log?.info("system agents seeded", { written, retired });
  return { written, retired };
}

/** JSON with object keys sorted, so two equal documents compare equal whatever order the store kept. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
