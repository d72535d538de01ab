// Tenant-scoped access to one container: every read, write and query names its org, checked before any I/O.
import type { Container, OperationInput, OperationResponse, PatchOperation } from "@azure/cosmos";
import { AppError } from "../errors";
import type { ContainerName } from "./containers";
import { appContainer, withinBudget } from "./cosmos";
import { ID_RULE_MESSAGE, isStorableId } from "./ids";
import { statusCodeOf, toStoreError } from "./store-errors";

export interface StoredDoc {
  id: string;
  org_id: string;
  ttl?: number;
}

export type WithEtag<T> = T & { _etag: string };

export interface Page<T> {
  items: T[];
  continuation: string | null;
}

export interface QuerySpec {
  query: string;
  parameters?: { name: string; value: string | number | boolean | null }[];
}

/** Refuses, before any I/O, an operation that does not name an org. */
export function requireOrg(orgId: unknown): string {
  if (typeof orgId !== "string" || orgId.trim() === "") {
    throw new AppError("store.org_required", "Every store operation must name an org.");
  }
  return orgId;
}

/** Refuses, before any I/O, a write whose id Cosmos would reject (a store error must never become a 500). */
function requireStorableId(id: unknown): string {
  if (!isStorableId(id)) throw new AppError("request.invalid", `A document id ${ID_RULE_MESSAGE}.`);
  return id;
}

/**
 * `items.batch` rethrows a failure of the request itself as `new Error("Batch request error: …")`, dropping its
 * status and code (`Items.batch` in @azure/cosmos 4.x). An operation's own failure (409, 412, 404) comes back in
 * the results instead, so what fails the request is the connection, a timeout, throttling or the service (a batch
 * is at most 100 operations and 2 MB, which its callers keep to): the store is unavailable.
 */
function batchRequestFailure(error: unknown): unknown {
  if (error instanceof Error && error.message.startsWith("Batch request error:"))
    return new AppError("store.unavailable", "The data store is unavailable; try again shortly.", {
      retryAfter: 5,
      cause: error,
    });
  return error;
}

export class TenantRepository<T extends StoredDoc> {
  constructor(
    private readonly containerName: ContainerName,
    private readonly resolveContainer: (name: ContainerName) => Container = appContainer,
  ) {}

  private get container(): Container {
    return this.resolveContainer(this.containerName);
  }

  /** A point read; null when absent. */
  async read(orgId: string, id: string): Promise<WithEtag<T> | null> {
    const org = requireOrg(orgId);
    if (!isStorableId(id)) return null;
    try {
      const { resource } = await this.container.item(id, org).read<WithEtag<T>>(withinBudget());
      return resource ?? null;
    } catch (error) {
      if (statusCodeOf(error) === 404) return null;
      throw toStoreError(error);
    }
  }

  /** Creates the document; false when one with the same id already exists. */
  async createIfAbsent(doc: T): Promise<WithEtag<T> | null> {
    requireOrg(doc.org_id);
    requireStorableId(doc.id);
    try {
      const { resource } = await this.container.items.create<T>(doc, withinBudget());
      return (resource as WithEtag<T> | undefined) ?? null;
    } catch (error) {
      if (statusCodeOf(error) === 409) return null;
      throw toStoreError(error);
    }
  }

  async upsert(doc: T): Promise<WithEtag<T>> {
    requireOrg(doc.org_id);
    requireStorableId(doc.id);
    try {
      const { resource } = await this.container.items.upsert<T>(doc, withinBudget());
      return resource as WithEtag<T>;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** Replaces the document; with an etag, only if nobody changed it since (else `precondition.failed`). */
  async replace(doc: T, etag?: string): Promise<WithEtag<T>> {
    const org = requireOrg(doc.org_id);
    requireStorableId(doc.id);
    try {
      const { resource } = await this.container.item(doc.id, org).replace<T>(doc, {
        ...withinBudget(),
        ...(etag ? { accessCondition: { type: "IfMatch", condition: etag } } : {}),
      });
      return resource as WithEtag<T>;
    } catch (error) {
      throw this.conditionalError(error);
    }
  }

  async patch(orgId: string, id: string, operations: PatchOperation[]): Promise<WithEtag<T> | null> {
    const org = requireOrg(orgId);
    if (!isStorableId(id)) return null;
    try {
      const { resource } = await this.container.item(id, org).patch<T>(operations, withinBudget());
      return (resource as WithEtag<T> | undefined) ?? null;
    } catch (error) {
      if (statusCodeOf(error) === 404) return null;
      throw toStoreError(error);
    }
  }

  /** Deletes the document; false when it was already gone. */
  async delete(orgId: string, id: string, etag?: string): Promise<boolean> {
    const org = requireOrg(orgId);
    if (!isStorableId(id)) return false;
    try {
      await this.container.item(id, org).delete({
        ...withinBudget(),
        ...(etag ? { accessCondition: { type: "IfMatch", condition: etag } } : {}),
      });
      return true;
    } catch (error) {
      if (statusCodeOf(error) === 404) return false;
      throw this.conditionalError(error);
    }
  }

  /**
   * A query inside one partition, a page at a time. The text must filter on `c.org_id = @org_id` (bound here)
   * as well as naming the partition, so tenancy never rests on the partition option alone.
   */
  async query<R = T>(
    orgId: string,
    spec: QuerySpec,
    page: { limit: number; continuation?: string },
  ): Promise<Page<R>> {
    const org = requireOrg(orgId);
    if (!/\bc\.org_id\s*=\s*@org_id\b/.test(spec.query)) {
      throw new AppError("store.org_required", "A query must filter on c.org_id = @org_id.");
    }
    const parameters = [...(spec.parameters ?? []), { name: "@org_id", value: org }];
    try {
      const response = await this.container.items
        .query<R>(
          { query: spec.query, parameters },
          {
            ...withinBudget(),
            partitionKey: org,
            maxItemCount: page.limit,
            continuationToken: page.continuation,
          },
        )
        .fetchNext();
      return { items: response.resources, continuation: response.continuationToken ?? null };
    } catch (error) {
      if (statusCodeOf(error) === 400 && page.continuation) {
        throw new AppError("request.invalid", "The continuation token is not valid.", {
          errors: [{ path: "query.continuation", message: "Invalid continuation token" }],
        });
      }
      throw toStoreError(error);
    }
  }

  /**
   * Several writes in one partition, as a transactional batch (all or nothing in Cosmos). Resolves with each
   * operation's result (its document, for the writes that return one); a failed batch throws what the failed
   * operation alone would have thrown.
   */
  async batch(orgId: string, operations: OperationInput[]): Promise<OperationResponse[]> {
    const org = requireOrg(orgId);
    try {
      // Each operation names the batch's partition too: the embedded emulator needs it for upsert, replace and
      // delete. Fresh objects, because the SDK rewrites an operation's partitionKey in place.
      const scoped = operations.map((operation) =>
        operation.operationType === "Create" ? operation : { ...operation, partitionKey: org },
      );
      const response = await this.container.items.batch(scoped, org, withinBudget());
      const results = response.result ?? [];
      // The other operations of a failed batch answer 424 (failed dependency); the cause is the one that does not.
      const failed =
        results.find((result) => result.statusCode >= 400 && result.statusCode !== 424) ??
        results.find((result) => result.statusCode >= 400);
      if (failed) {
        throw Object.assign(new Error(`Batch operation failed with ${failed.statusCode}`), {
          code: failed.statusCode,
        });
      }
      return results;
    } catch (error) {
      throw this.conditionalError(batchRequestFailure(error));
    }
  }

  private conditionalError(error: unknown): unknown {
    const status = statusCodeOf(error);
    if (status === 412)
      return new AppError("precondition.failed", "The resource was changed by someone else.");
    if (status === 404) return new AppError("resource.not_found", "Not found.");
    if (status === 409) return new AppError("resource.conflict", "The resource already exists.");
    return toStoreError(error);
  }
}
