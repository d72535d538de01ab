// Starts the devhost: settings, embedded services, the app's registrations, and the HTTP front door.
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import type { TopicTopology } from "../shared/bus/topology";
import { parseSettings } from "../shared/config";
import { createCosmosClient, ensureContainers } from "../shared/store/cosmos";
import { installCoreModule, setSystemLogSink } from "./core/install";
import type { FunctionLogEntry } from "./core/invoke";
import { setFunctionLogSink } from "./core/invoke";
import { registry } from "./core/registry";
import { createFrontDoor } from "./http/server";
import type { DevRoute, ObservedResponse } from "./http/server";
import { assertNoShadowedRoutes, buildHostRoutes } from "./http/host-routes";
import type { HostRoute } from "./http/host-routes";
import { loadApp, routePrefix } from "./load-app";
import type { EmbeddedCosmos } from "./services/cosmos";
import { startEmbeddedCosmos } from "./services/cosmos";
import { applySettings, readLocalSettings } from "./settings";
import { useClock } from "../shared/clock";
import { MovableClock } from "./clock";
import type { DevHostExtension, ExtensionContext } from "./extension";
import { outboxExtension } from "./outbox/outbox";
import { busExtension } from "./bus/extension";
import { timersExtension } from "./timers/extension";
import { durableExtension } from "./durable/extension";
import { seedExtension } from "./seed";
import { memoryExtension } from "./memory";
import { productSandboxExtension } from "./products/sandbox-extension";

/** The devhost's services, in start order (timers after the bus: a timer run may publish; the seed last). */
function extensions(appRoot: string): DevHostExtension[] {
  return [
    productSandboxExtension(),
    outboxExtension(),
    durableExtension(appRoot),
    busExtension(),
    timersExtension(),
    seedExtension(),
    memoryExtension(),
  ];
}

export interface DevHostOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Settings that override the environment and local.settings.json (undefined removes one). */
  settings?: Record<string, string | undefined>;
  /** Print function logs to stdout (the CLI does; tests keep them in `logs`). */
  printLogs?: boolean;
  /** False keeps no log lines at all (the bench: a long run would hold every line in memory). */
  keepLogs?: boolean;
  /** Extra compiled function files to load after the app's (test fixtures). */
  extraFunctionFiles?: string[];
  /**
   * Run every Durable activity twice and keep the second result, as Azure may (at-least-once); also
   * DEVHOST_AT_LEAST_ONCE_ACTIVITIES=true. Tests use it to prove that a re-run changes nothing.
   */
  atLeastOnceActivities?: boolean;
  /** Serve even when a route is shadowed under the host's order (only for tests of the dispatch itself). */
  allowShadowedRoutes?: boolean;
  /** Extra bus topics with filtered subscriptions, besides The One Bus (test fixtures'). */
  busTopologies?: TopicTopology[];
  /** Serve a stand-in for every product whose PRODUCT_<SLUG>_BASE_URL is empty (`npm start` does). */
  sandboxProducts?: boolean;
  /**
   * The Functions app to run: a folder with host.json and a package.json whose `main` names the function files.
   * The repository (dist/functions) by default; `dist/package` runs what `npm run package` ships.
   */
  appRoot?: string;
  /** Test-only: sees every answer of an app function (test/support/devhost.ts checks them against the OpenAPI document). */
  observeResponse?: (response: ObservedResponse) => void;
}

export interface DevHost {
  url: string;
  /** The Functions app this host runs (see DevHostOptions.appRoot). */
  appRoot: string;
  port: number;
  /** The address the server listens on (127.0.0.1 unless DEVHOST_BIND_ADDRESS says otherwise). */
  address: string;
  /** The embedded Cosmos, when no endpoint was configured. */
  cosmos: EmbeddedCosmos | undefined;
  /** Every line the functions logged, in order (kept when they are not printed, as in tests). */
  logs: FunctionLogEntry[];
  clock: MovableClock;
  /** The handle each extension returned from start(), by extension name. */
  services: Record<string, unknown>;
  stop(): Promise<void>;
}

export const APP_ROOT = resolve(__dirname, "..", "..");

/**
 * Loopback unless DEVHOST_BIND_ADDRESS says otherwise: /dev/* and the Durable HTTP API answer without any
 * credential, so anyone who can reach the port can read the outbox and decide gates. Another address is allowed
 * (a container, a VM) with a warning.
 */
const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

function listenAddress(configured: string | undefined): string {
  const address = configured?.trim() || "127.0.0.1";
  if (!LOOPBACK.has(address))
    console.warn(
      `[devhost] WARNING: listening on ${address} (DEVHOST_BIND_ADDRESS): /dev/* and the Durable HTTP API ` +
        "need no credential, so anyone who can reach this address can read the outbox and decide approvals.",
    );
  return address;
}

/** The name in the devhost's URL: localhost for loopback and wildcard binds (as before), else the address. */
function urlHost(address: string): string {
  if (LOOPBACK.has(address) || address === "0.0.0.0" || address === "::") return "localhost";
  return address.includes(":") ? `[${address}]` : address;
}

export async function startDevHost(options: DevHostOptions = {}): Promise<DevHost> {
  const appRoot = options.appRoot ?? APP_ROOT;
  /** PUBLIC_BASE_URL follows the devhost's real port unless the environment or the caller chose one. */
  const publicUrlChosen =
    process.env.PUBLIC_BASE_URL !== undefined || options.settings?.PUBLIC_BASE_URL !== undefined;
  applySettings(readLocalSettings(APP_ROOT), options.settings ?? {});
  const logs: FunctionLogEntry[] = [];
  // A long `npm start` prints its lines and keeps none; tests keep every line to assert on.
  setFunctionLogSink((entry) => {
    if (options.printLogs) console.log(`[${entry.functionName}] ${entry.message}`);
    else if (options.keepLogs !== false) logs.push(entry);
  });
  setSystemLogSink((level, message) => {
    if (level === "error" || level === "critical" || level === "warning")
      console.error(`[devhost] ${message}`);
  });

  let ready = false;
  let httpRoutes: HostRoute[] = [];
  const devRoutes: DevRoute[] = [];
  const server = createFrontDoor({
    routes: () => httpRoutes,
    devRoutes,
    isReady: () => ready,
    onUnexpectedError: (error) => console.error("[devhost] unexpected error", error),
    observeResponse: options.observeResponse,
  });
  const port = options.port ?? Number(process.env.DEVHOST_PORT ?? 7071);
  const bindAddress = listenAddress(
    options.settings?.DEVHOST_BIND_ADDRESS ?? process.env.DEVHOST_BIND_ADDRESS,
  );
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, bindAddress, resolveListen);
  });
  const { port: actualPort, address } = server.address() as AddressInfo;
  const url = `http://${urlHost(bindAddress)}:${actualPort}`;

  let cosmos: EmbeddedCosmos | undefined;
  const clock = new MovableClock();
  useClock(clock);
  const context: ExtensionContext = {
    registry,
    clock,
    url,
    appRoot,
    options,
    addRoute: (route) => devRoutes.push(route),
    print: (line) => console.log(line),
  };
  const started: DevHostExtension[] = [];
  const services: Record<string, unknown> = {};
  const close = async () => {
    for (const extension of started.reverse()) await extension.stop?.();
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
    await cosmos?.close();
  };
  try {
    if (!process.env.COSMOS__accountEndpoint) {
      cosmos = await startEmbeddedCosmos();
      process.env.COSMOS__accountEndpoint = cosmos.endpoint;
      process.env.COSMOS_KEY = cosmos.key;
    }
    if (!publicUrlChosen) process.env.PUBLIC_BASE_URL = url;
    const appSettings = parseSettings(process.env);
    const db = createCosmosClient({
      endpoint: appSettings.COSMOS__accountEndpoint,
      key: appSettings.COSMOS_KEY,
    }).database(appSettings.COSMOS_DATABASE);
    await ensureContainers(db);
    installCoreModule();
    const plugged = extensions(appRoot);
    for (const extension of plugged) await extension.beforeLoad?.(context);
    loadApp(appRoot);
    for (const file of options.extraFunctionFiles ?? []) require(file);
    httpRoutes = buildHostRoutes(registry, routePrefix(appRoot));
    if (!options.allowShadowedRoutes) assertNoShadowedRoutes(httpRoutes);
    await registry.runHooks("appStart", { hookData: {}, appHookData: {}, functionAppDirectory: appRoot });
    for (const extension of plugged) {
      services[extension.name] = await extension.start(context);
      started.push(extension);
    }
  } catch (error) {
    await close();
    throw error;
  }
  ready = true;
  return { url, appRoot, port: actualPort, address, cosmos, logs, clock, services, stop: close };
}
