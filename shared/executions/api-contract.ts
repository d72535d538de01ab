// Who may call the executions API, and the shapes of its path and query (docs/executions.md).
import { z } from "zod";
import type { AuthPolicy } from "../auth/principal";
import { EXECUTION_STATUSES } from "./model";

/** Admins and Technicians read executions; keys with executions:read. */
export const READ_EXECUTIONS: AuthPolicy = {
  audience: "agents",
  roles: ["admin", "technician"],
  scopes: ["executions:read"],
};

/** Retrying is an Admin's decision, never a key's. */
export const RETRY_EXECUTIONS: AuthPolicy = { audience: "agents", roles: ["admin"] };

/** Products publish events with an events:publish key; people do not. */
export const PUBLISH_EVENTS: AuthPolicy = { audience: "agents", roles: [], scopes: ["events:publish"] };

export const executionIdParams = z.object({ id: z.string().min(1).max(128) });

export const listExecutionsQuery = z.object({
  agent_id: z.string().min(1).max(128).optional(),
  status: z.enum(EXECUTION_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  continuation: z.string().min(1).max(4096).optional(),
});

const day = z.iso.date();
export const usageQuery = z
  .object({ from: day, to: day })
  .refine((range) => range.from <= range.to, { message: "from must not be after to", path: ["to"] })
  .refine((range) => Date.parse(range.to) - Date.parse(range.from) <= 366 * 86_400_000, {
    message: "at most 366 days at a time",
    path: ["to"],
  });
