// `npm start`: runs the app's functions on this machine and prints where to find them.
import { resolve } from "node:path";
import { SettingsError } from "../shared/config";
import type { BusHandle } from "./bus/extension";
import { APP_ROOT, startDevHost } from "./host";
import type { SandboxHandle } from "./products/sandbox-extension";
import type { SeedHandle } from "./seed";

async function main(): Promise<void> {
  const host = await startDevHost({ printLogs: true, sandboxProducts: true, appRoot: appRootArgument() });
  console.log(`\nThe One Stack Hub & Agents is running at ${host.url}`);
  if (host.appRoot !== APP_ROOT) console.log(`  App:     ${host.appRoot}`);
  console.log(`  Health:  ${host.url}/api/health`);
  console.log(
    `  Bus:     POST ${host.url}/dev/bus/${(host.services.bus as BusHandle).topic} a CloudEvent; GET /dev/bus, /dev/bus/messages, /dev/bus/deadletters`,
  );
  console.log(
    `  Durable: GET ${host.url}/dev/executions/{instanceId}; the HTTP API at ${host.url}/runtime/webhooks/durabletask/instances`,
  );
  console.log(`  Outbox:  GET ${host.url}/dev/outbox (every email and SMS sent, with its approval links)`);
  printProducts(host.url, host.services.products as SandboxHandle);
  if (host.cosmos)
    console.log(`  Cosmos:  embedded emulator at ${host.cosmos.endpoint} (data lasts until you stop)`);
  printSeed(host.url, host.services.seed as SeedHandle);
  const stop = () => {
    host.stop().finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** `--app <dir>` runs another build of the app, e.g. `--app dist/package` (what `npm run package` ships). */
function appRootArgument(): string | undefined {
  const at = process.argv.indexOf("--app");
  const dir = at >= 0 ? process.argv[at + 1] : undefined;
  if (at >= 0 && !dir) throw new Error("--app needs a folder, e.g. --app dist/package");
  return dir ? resolve(dir) : undefined;
}

/** Which products the sandbox stands in for (those whose PRODUCT_<SLUG>_BASE_URL is empty). */
function printProducts(url: string, { products }: SandboxHandle): void {
  if (products.length === 0) return;
  const names = products.map(({ product }) => product).join(", ");
  console.log(
    `  Products: ${names} sandboxed at ${url}/dev/products/{product} (PRODUCT_<SLUG>_BASE_URL is empty)`,
  );
  console.log(`           GET ${url}/dev/products/calls lists every call they answered`);
}

/** The demo org's owner, and the first requests to try (the README walks through the rest). */
function printSeed(url: string, seed: SeedHandle): void {
  const login = JSON.stringify({ email: seed.ownerEmail, password: seed.ownerPassword });
  console.log(`
  Demo org "${seed.slug}" (${seed.orgId})${seed.created ? "" : ", already seeded"}
    owner:     ${seed.ownerEmail}
    password:  ${seed.ownerPassword}   (HUB_SEED_OWNER_EMAIL / HUB_SEED_OWNER_PASSWORD to change)
  Try:
    curl -si -c cookies.txt -H 'content-type: application/json' -d '${login}' ${url}/api/auth/login
    curl -s  -b cookies.txt -H 'content-type: application/json' -d '{"audience":"agents"}' ${url}/api/auth/token
    ${url}/api/.well-known/openid-configuration   (Hub SSO; demo clients agents and psa, README "Sign in a product with Hub")
    ${url}/api/signin
    ${url}/api/.well-known/jwks.json
`);
}

main().catch((error: unknown) => {
  console.error(error instanceof SettingsError ? error.message : error);
  process.exit(1);
});
