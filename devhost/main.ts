// `npm start`: runs the app's functions on this machine and prints where to find them.
import { SettingsError } from "../shared/config";
import type { BusHandle } from "./bus/extension";
import { startDevHost } from "./host";

async function main(): Promise<void> {
  const host = await startDevHost({ printLogs: true });
  console.log(`\nThe One Stack Hub & Agents is running at ${host.url}`);
  console.log(`  Health:  ${host.url}/api/health`);
  console.log(
    `  Bus:     POST ${host.url}/dev/bus/${(host.services.bus as BusHandle).topic} a CloudEvent; GET /dev/bus, /dev/bus/messages, /dev/bus/deadletters`,
  );
  console.log(
    `  Durable: GET ${host.url}/dev/executions/{instanceId}; the HTTP API at ${host.url}/runtime/webhooks/durabletask/instances`,
  );
  if (host.cosmos)
    console.log(`  Cosmos:  embedded emulator at ${host.cosmos.endpoint} (data lasts until you stop)`);
  const stop = () => {
    host.stop().finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof SettingsError ? error.message : error);
  process.exit(1);
});
