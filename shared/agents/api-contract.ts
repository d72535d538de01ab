// Who may call the Agents API routes, and the shapes of their path and query (docs/auth.md and docs/agents.md).
import { z } from "zod";
import type { AuthPolicy } from "../auth/principal";

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

/** Any id is accepted here: one that cannot exist answers 404 (without I/O), as docs/auth.md asks. */
export const agentIdParams = z.object({ id: z.string() });

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  continuation: z.string().min(1).max(4096).optional(),
});
