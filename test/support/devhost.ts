// Boots the real devhost in this test process on a free port, with a fresh embedded Cosmos, and loads the built functions/.
import { createRequire } from "node:module";
import type { BusHandle } from "../../devhost/bus/extension";
import type { ObservedResponse } from "../../devhost/http/server";
import type * as OpenApiModule from "../../shared/api-reference/openapi";
import type * as HostModule from "../../devhost/host";
import type { DevHost, DevHostOptions } from "../../devhost/host";
import type { TimersHandle } from "../../devhost/timers/extension";
import { responseChecker } from "./openapi-responses";

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

/**
 * Every answer of an app function is checked against the OpenAPI document the app serves (status, content
 * type, body); a host with any departure fails when it stops, naming each one. `observeResponse` in the options
 * replaces the check (a test that the check catches drift uses it). Answers are checked when the host stops, so
 * a host that runs another build of the app (a package, `appRoot`) is held to the document that build serves.
 */
function openApiConformance() {
  const observed: ObservedResponse[] = [];
  let served: OpenApiModule.OpenApiDocument | undefined;
  return {
    observe: (response: ObservedResponse) => void observed.push(response),
    /** Hold the answers to this document instead of the one dist/ builds (the host runs other code). */
    useDocument: (document: OpenApiModule.OpenApiDocument) => void (served = document),
    assert: () => {
      const check = responseChecker(
        served ?? builtModule<typeof OpenApiModule>("shared/api-reference/openapi.js").openApiDocument(),
      );
      const departures: string[] = [];
      for (const response of observed) {
        try {
          departures.push(...check(response));
        } catch (error) {
          departures.push(`${response.method} ${response.path}: the check failed: ${String(error)}`);
        }
      }
      if (departures.length > 0)
        throw new Error(
          `Responses that depart from the OpenAPI document:\n${departures.slice(0, 20).join("\n")}`,
        );
    },
  };
}

export async function bootDevHost(
  options: DevHostOptions = {},
): Promise<DevHost & { fetch: typeof apiFetch }> {
  const { startDevHost } = builtModule<typeof HostModule>("devhost/host.js");
  const conformance = openApiConformance();
  const host = await startDevHost({
    port: 0,
    observeResponse: conformance.observe,
    ...options,
    settings: { COSMOS__accountEndpoint: "", ...options.settings },
  });
  const apiFetch = (path: string, init?: RequestInit) => fetch(`${host.url}${path}`, init);
  if (options.appRoot)
    conformance.useDocument(
      (await (await apiFetch("/api/openapi.json")).json()) as OpenApiModule.OpenApiDocument,
    );
  const stop = host.stop;
  const stopAndCheck = async () => {
    await stop();
    for (const check of stopChecks) check(host);
    conformance.assert();
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
