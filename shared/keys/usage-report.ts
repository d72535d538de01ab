// GET /api/integration-keys/{id}/usage (docs/auth.md, "Usage by key"): a key's counts by day, summed over instances.
import { z } from "zod";
import type { Principal } from "../auth/principal";
import { AppError } from "../errors";
import { readIntegrationKey } from "./repository";
import type { UsageCounts } from "./usage-buffer";
import { flushKeyUsage, keyUsage, USAGE_OUTCOMES } from "./usage-buffer";

type DayRow = UsageCounts & { day: string };

const countsSchema = z.object({
  accepted: z.number().int().nonnegative(),
  refused_scope: z.number().int().nonnegative(),
  refused_cidr: z.number().int().nonnegative(),
});

/** The answer of the usage route, as docs/auth.md ("Usage by key") describes it. */
export const keyUsageSchema = z.object({
  key_id: z.string(),
  from: z.string(),
  to: z.string(),
  totals: countsSchema,
  by_day: z.array(countsSchema.extend({ day: z.string() })),
});

const zero = (): UsageCounts => ({ accepted: 0, refused_scope: 0, refused_cidr: 0 });

/** Days between `from` and `to` (inclusive) with any use; this instance's unwritten counts are flushed first. */
export async function keyUsageBetween(principal: Principal, keyId: string, from: string, to: string) {
  const key = await readIntegrationKey(principal.org_id, keyId);
  if (!key) throw new AppError("resource.not_found", "No such integration key.");
  await flushKeyUsage();
  const days = new Map<string, DayRow>();
  let continuation: string | undefined;
  do {
    const page = await keyUsage.query<DayRow>(
      principal.org_id,
      {
        query:
          "SELECT c.day, c.accepted, c.refused_scope, c.refused_cidr FROM c WHERE c.org_id = @org_id AND c.type = 'integration-key-usage' AND c.key_id = @key_id AND c.day >= @from AND c.day <= @to",
        parameters: [
          { name: "@key_id", value: keyId },
          { name: "@from", value: from },
          { name: "@to", value: to },
        ],
      },
      { limit: 1000, continuation },
    );
    for (const row of page.items) {
      const total = days.get(row.day) ?? { day: row.day, ...zero() };
      for (const outcome of USAGE_OUTCOMES) total[outcome] += row[outcome] ?? 0;
      days.set(row.day, total);
    }
    continuation = page.continuation ?? undefined;
  } while (continuation);
  const byDay = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  const totals = zero();
  for (const row of byDay) for (const outcome of USAGE_OUTCOMES) totals[outcome] += row[outcome];
  return { key_id: keyId, from, to, totals, by_day: byDay };
}
