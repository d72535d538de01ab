// A bare @azure/cosmos container on the devhost's embedded emulator: the baseline side of the Cosmos bench rows, and
// the tests' way to write what no endpoint can (test/support/out-of-band.ts).
import type { Container } from "@azure/cosmos";
import { CosmosClient } from "@azure/cosmos";
import type { DevHost } from "../../devhost/host";

export function rawContainer(host: Pick<DevHost, "cosmos">, name: string): Container {
  // The emulator advertises https locations; discovery off keeps the raw client on its plain-http endpoint.
  return new CosmosClient({
    endpoint: host.cosmos!.endpoint,
    key: host.cosmos!.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  })
    .database(process.env.COSMOS_DATABASE ?? "hub")
    .container(name);
}
