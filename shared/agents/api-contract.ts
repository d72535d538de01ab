// Who may call the Agents API routes, and the shapes of their path and query (docs/auth.md and docs/agents.md).
import { z } from "zod";
import type { AuthPolicy } from "../auth/principal";
import { agentSchema } from "./schema";

/** Admins and Technicians read; keys read with agents:read (or agents:write, which implies it). */
export const READ_AGENTS: AuthPolicy = {
  audience: "agents",
  roles: ["admin", "technician"],
  scopes: ["agents:read", "agents:write"],
};

/** Admins write; keys write with agents:write. */
export const WRITE_AGENTS: AuthPolicy = { audience: "agents", roles: ["admin"], scopes: ["agents:write"] };

/** Enabling high-impact actions is a person's decision: Admins only, never a key. */
export const WRITE_AGENTS_SETTINGS: AuthPolicy = { audience: "agents", roles: ["admin"] };

/** Any id the route lets through is accepted here: one that cannot exist answers 404, as docs/auth.md asks. */
export const agentIdParams = z.object({ id: z.string() });

/**
 * The `{id}` segment of the agent routes, constrained to the two shapes an agent id has: a UUID (createAgent) or a
 * system agent's `sys-…` slug. The Functions host tries HTTP functions in name order and the first matching template
 * wins, so a bare `agents/{id}` ("getAgent") would take `agents/settings` and every later `agents/<word>` route
 * (docs/devhost.md, "HTTP routing"). Any other id never reaches these functions: the catch-all answers 404.
 */
export const AGENT_ID_SEGMENT =
  "{id:regex(^(sys-[a-z0-9-]+|[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}})$)}";

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  continuation: z.string().min(1).max(4096).optional(),
});

export const agentListSchema = z.object({
  items: z.array(agentSchema),
  continuation: z.string().nullable().describe("Pass as ?continuation= for the next page; null at the end"),
});
