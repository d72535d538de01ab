// Whether the app can reach its store, for GET /api/health.
import { z } from "zod";
import { appDatabase, withinBudget } from "./store/cosmos";
import { toStoreError } from "./store/store-errors";
import { AppError } from "./errors";
import { version } from "../package.json";

export const healthSchema = z.object({ status: z.literal("ok"), version: z.string() });

export type HealthReport = z.infer<typeof healthSchema>;

export async function checkHealth(): Promise<HealthReport> {
  try {
    await appDatabase().read(withinBudget());
  } catch (error) {
    const mapped = toStoreError(error);
    throw mapped instanceof AppError
      ? mapped
      : new AppError("store.unavailable", "The data store is unavailable.", { retryAfter: 5, cause: error });
  }
  return { status: "ok", version };
}
