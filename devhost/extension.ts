// The parts of the devhost that play Azure services (bus, timers, durable, seed) plug in here.
import type { MovableClock } from "./clock";
import type { FunctionRegistry } from "./core/registry";
import type { DevHostOptions } from "./host";
import type { DevRoute } from "./http/server";

export interface ExtensionContext {
  registry: FunctionRegistry;
  clock: MovableClock;
  /** The devhost's base URL, e.g. http://localhost:7071. */
  url: string;
  /** The app's folder (host.json, package.json). */
  appRoot: string;
  /** What the devhost was started with. */
  options: DevHostOptions;
  /** Add /dev/… endpoints (and any other non-app route the devhost must answer). */
  addRoute(route: DevRoute): void;
  print(line: string): void;
}

export interface DevHostExtension<Handle = unknown> {
  name: string;
  /** Runs before the app's functions load (e.g. to install a port the app will use). */
  beforeLoad?(context: ExtensionContext): void | Promise<void>;
  /** Runs after the app's functions are registered; returns the handle tests use. */
  start(context: ExtensionContext): Promise<Handle>;
  stop?(): Promise<void>;
}
