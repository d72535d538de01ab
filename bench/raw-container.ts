// The baseline side of the Cosmos rows: a bare @azure/cosmos container on the devhost's embedded emulator.
import type { Container } from "@azure/cosmos";
import { CosmosClient } from "@azure/cosmos";
import type { DevHost } from "../devhost/host";

export function rawContainer(host: DevHost, name: string): Container {
  // The emulator advertises https locations; discovery off keeps the raw client on its plain-http endpoint.
  return new CosmosClient({
    endpoint: host.cosmos!.endpoint,
    key: host.cosmos!.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  })
    .database(process.env.COSMOS_DATABASE ?? "hub")
    .container(name);
}
