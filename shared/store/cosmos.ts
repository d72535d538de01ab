// The Cosmos client: managed identity in Azure, a key only for the local emulator; bounded timeouts and retries.
import type { Container, Database } from "@azure/cosmos";
import { CosmosClient } from "@azure/cosmos";
import { setMaxListeners } from "node:events";
import { settings } from "../config";
import { managedIdentity } from "../managed-identity";
import type { ContainerName } from "./containers";
import { CONTAINERS, PARTITION_KEY_PATH } from "./containers";

/** One network attempt; long enough for a healthy request. */
const REQUEST_TIMEOUT_MS = 2_000;

/**
 * The whole budget of one store operation, retries included. The SDK retries a refused connection ten
 * times a second apart; an outage must answer 503 well before that, never hang.
 */
export const STORE_BUDGET_MS = 3_000;

/** Operations that start within this long of each other share one budget signal (a timer each was measurable). */
const BUDGET_SHARING_MS = 100;

let shared: { signal: AbortSignal; until: number } | undefined;

/**
 * The abort signal that bounds one operation to the store budget (to within BUDGET_SHARING_MS less). The SDK
 * removes its listener when an operation ends, so a shared signal holds only those in flight.
 */
export function withinBudget(): { abortSignal: AbortSignal } {
  const now = performance.now();
  if (!shared || now >= shared.until) {
    const signal = AbortSignal.timeout(STORE_BUDGET_MS);
    // Any number of operations may be in flight on one signal: that is not a listener leak.
    setMaxListeners(0, signal);
    shared = { signal, until: now + BUDGET_SHARING_MS };
  }
  return { abortSignal: shared.signal };
}

export interface CosmosTarget {
  endpoint: string;
  key?: string;
  database: string;
}

export function createCosmosClient(target: Pick<CosmosTarget, "endpoint" | "key">): CosmosClient {
  const connectionPolicy = {
    requestTimeout: REQUEST_TIMEOUT_MS,
    enableEndpointDiscovery: !target.key,
    retryOptions: { maxRetryAttemptCount: 3, fixedRetryIntervalInMilliseconds: 200, maxWaitTimeInSeconds: 5 },
  };
  return target.key
    ? new CosmosClient({ endpoint: target.endpoint, key: target.key, connectionPolicy })
    : new CosmosClient({
        endpoint: target.endpoint,
        aadCredentials: managedIdentity,
        connectionPolicy,
      });
}

let database: Database | undefined;

/** The app's database, from the settings; one client per process, as the SDK recommends. */
export function appDatabase(): Database {
  if (!database) {
    const { COSMOS__accountEndpoint, COSMOS_KEY, COSMOS_DATABASE } = settings();
    database = createCosmosClient({ endpoint: COSMOS__accountEndpoint, key: COSMOS_KEY }).database(
      COSMOS_DATABASE,
    );
  }
  return database;
}

const containers = new Map<ContainerName, Container>();

/** One Container object per name (the SDK builds a new one, with its helpers, on every `container()` call). */
export function appContainer(name: ContainerName): Container {
  let container = containers.get(name);
  if (!container) containers.set(name, (container = appDatabase().container(name)));
  return container;
}

/**
 * Creates the database and containers where they are missing. Infra does this in Azure (data-plane
 * roles cannot create containers); the devhost calls it for the emulator.
 */
export async function ensureContainers(db: Database): Promise<void> {
  await db.client.databases.createIfNotExists({ id: db.id });
  for (const [id, spec] of Object.entries(CONTAINERS)) {
    await db.containers.createIfNotExists({
      id,
      partitionKey: { paths: [PARTITION_KEY_PATH] },
      ...("defaultTtl" in spec ? { defaultTtl: spec.defaultTtl } : {}),
    });
  }
}
