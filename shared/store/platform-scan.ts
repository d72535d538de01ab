// Cross-partition reads for platform jobs (timers) only: no request path calls this (docs/auth.md, ARCHITECTURE).
import { appContainer } from "./cosmos";
import type { ContainerName } from "./containers";
import type { QuerySpec } from "./repository";
import { toStoreError } from "./store-errors";

/**
 * Up to `limit` documents matching `spec` across every org's partition. Tenancy is not at stake here: the
 * callers are background jobs that act for the platform (e.g. the outbox relay), never for a caller's org.
 */
export async function scanAllPartitions<T>(
  container: ContainerName,
  spec: QuerySpec,
  limit: number,
): Promise<T[]> {
  try {
    const iterator = appContainer(container).items.query<T>(spec, { maxItemCount: Math.min(limit, 100) });
    const found: T[] = [];
    while (found.length < limit && iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      found.push(...resources);
    }
    return found.slice(0, limit);
  } catch (error) {
    throw toStoreError(error);
  }
}
