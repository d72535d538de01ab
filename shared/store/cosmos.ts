// The Cosmos client: managed identity in Azure, a key only for the local emulator; bounded timeouts and retries.
import type { Container, Database } from "@azure/cosmos";
import { CosmosClient } from "@azure/cosmos";
import { DefaultAzureCredential } from "@azure/identity";
import { settings } from "../config";
import type { ContainerName } from "./containers";
import { CONTAINERS, PARTITION_KEY_PATH } from "./containers";

/** One network attempt; long enough for a healthy request. */
const REQUEST_TIMEOUT_MS = 2_000;

/**
 * The whole budget of one store operation, retries included. The SDK retries a refused connection ten
 * times a second apart; an outage must answer 503 well before that, never hang.
 */
export const STORE_BUDGET_MS = 3_000;

export const withinBudget = (): { abortSignal: AbortSignal } => ({
  abortSignal: AbortSignal.timeout(STORE_BUDGET_MS),
});

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
        aadCredentials: new DefaultAzureCredential(),
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

export const appContainer = (name: ContainerName): Container => appDatabase().container(name);

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
