// The org's agents settings: which high-impact actions it enabled (Admins change them; everyone with read access sees them).
import { z } from "zod";
import type { Principal } from "../auth/principal";
import { HIGH_IMPACT_ACTION_KEYS } from "../products/catalogue";
import type { AgentsSettingsDoc } from "./store";
import { readSettings, updateSettings } from "./store";
import { actorOf } from "./views";

export const settingsInputSchema = z.strictObject({
  enabled_high_impact_actions: z
    .array(
      z.string().refine((key) => HIGH_IMPACT_ACTION_KEYS.includes(key), {
        message: `must be one of the high-impact actions: ${HIGH_IMPACT_ACTION_KEYS.join(", ")}`,
      }),
    )
    .max(HIGH_IMPACT_ACTION_KEYS.length + 10),
});

export type SettingsInput = z.output<typeof settingsInputSchema>;

export const agentsSettingsSchema = z.object({
  enabled_high_impact_actions: z.array(z.string()),
  available_high_impact_actions: z.array(z.string()),
  updated_at: z.string(),
  updated_by: z.string(),
});

export type AgentsSettingsView = z.infer<typeof agentsSettingsSchema>;

const viewOf = (doc: AgentsSettingsDoc): AgentsSettingsView => ({
  enabled_high_impact_actions: doc.enabled_high_impact_actions,
  available_high_impact_actions: [...HIGH_IMPACT_ACTION_KEYS],
  updated_at: doc.updated_at,
  updated_by: doc.updated_by,
});

export async function getAgentsSettings(principal: Principal): Promise<AgentsSettingsView> {
  return viewOf(await readSettings(principal.org_id));
}

/**
 * Replaces the list of enabled high-impact actions. Disabling one does not edit saved agents: the matching
 * rule stops running agents that use it, and activating or saving one is refused until it is enabled again.
 */
export async function putAgentsSettings(
  principal: Principal,
  input: SettingsInput,
): Promise<AgentsSettingsView> {
  const wanted = [...new Set(input.enabled_high_impact_actions)].sort();
  const doc = await updateSettings(principal.org_id, actorOf(principal), (settings) => {
    if (JSON.stringify(settings.enabled_high_impact_actions) === JSON.stringify(wanted)) return false;
    settings.enabled_high_impact_actions = wanted;
    return true;
  });
  return viewOf(doc);
}
