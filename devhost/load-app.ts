// Loads the app's function files from package.json's `main` glob, as the worker does.
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export function functionFiles(appRoot: string): string[] {
  const { main } = JSON.parse(readFileSync(join(appRoot, "package.json"), "utf8")) as { main: string };
  const dir = join(appRoot, dirname(main));
  const pattern = new RegExp(
    `^${basename(main)
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")}$`,
  );
  return readdirSync(dir)
    .filter((file) => pattern.test(file))
    .sort()
    .map((file) => join(dir, file));
}

export function loadApp(appRoot: string): void {
  for (const file of functionFiles(appRoot)) require(file);
}

/** The parts of host.json the devhost follows. */
export interface HostJson {
  extensions?: {
    http?: { routePrefix?: string };
    /** Bound to the extension's ServiceBusOptions (devhost/bus/service-bus-options.ts reads it). */
    serviceBus?: Record<string, unknown>;
  };
}

export function readHostJson(appRoot: string): HostJson {
  return JSON.parse(readFileSync(join(appRoot, "host.json"), "utf8")) as HostJson;
}

export function routePrefix(appRoot: string): string {
  return readHostJson(appRoot).extensions?.http?.routePrefix ?? "api";
}
