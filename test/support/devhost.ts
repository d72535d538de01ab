// Boots the real devhost in this test process on a free port, with a fresh embedded Cosmos, and loads the built functions/.
import { createRequire } from "node:module";
import type { BusHandle } from "../../devhost/bus/extension";
import type * as HostModule from "../../devhost/host";
import type { DevHost, DevHostOptions } from "../../devhost/host";
import type { TimersHandle } from "../../devhost/timers/extension";

const requireBuilt = createRequire(__filename);

/** The compiled devhost (npm test builds first), so the app runs exactly as `npm start` runs it. */
export function builtModule<T>(path: string): T {
  return requireBuilt(`../../dist/${path}`) as T;
}

/** The absolute path of a compiled file (e.g. a test fixture for `extraFunctionFiles`). */
export function builtPath(path: string): string {
  return requireBuilt.resolve(`../../dist/${path}`);
}

export const busOf = (host: DevHost): BusHandle => host.services.bus as BusHandle;
export const timersOf = (host: DevHost): TimersHandle => host.services.timers as TimersHandle;

type StopCheck = (host: DevHost) => void;
const stopChecks: StopCheck[] = [];

/** A check run on every host this test process boots, once it has stopped (e.g. no secret in its logs). */
export function checkOnStop(check: StopCheck): void {
  if (!stopChecks.includes(check)) stopChecks.push(check);
}

export async function bootDevHost(
  options: DevHostOptions = {},
): Promise<DevHost & { fetch: typeof apiFetch }> {
  const { startDevHost } = builtModule<typeof HostModule>("devhost/host.js");
  const host = await startDevHost({
    port: 0,
    ...options,
    settings: { COSMOS__accountEndpoint: "", ...options.settings },
  });
  const apiFetch = (path: string, init?: RequestInit) => fetch(`${host.url}${path}`, init);
  const stop = host.stop;
  const stopAndCheck = async () => {
    await stop();
    for (const check of stopChecks) check(host);
  };
  return Object.assign(host, { fetch: apiFetch, stop: stopAndCheck });
}

export async function problemOf(response: Response): Promise<Record<string, unknown>> {
  if (!response.headers.get("content-type")?.startsWith("application/problem+json")) {
    throw new Error(
      `Expected problem+json, got ${response.status} ${response.headers.get("content-type")}: ${await response.text()}`,
    );
  }
  return (await response.json()) as Record<string, unknown>;
}
