// The `durable` devhost extension: the engine, the durableClient binding, the HTTP API, and the test handle.
import { provideInput } from "../core/input-providers";
import type { DevHostExtension, ExtensionContext } from "../extension";
import { sendJson } from "../http/problem";
import type { DevRoute } from "../http/server";
import { durableClientData, taskHubName } from "./client-binding";
import { DurableEngine } from "./engine";
import { durableHttpApi } from "./http-api";
import { TERMINAL_STATUSES } from "./instance";
import type { InstanceSnapshot } from "./status";
import { snapshotOf } from "./status";

/** `host.services.durable`: what tests need to follow orchestrations without sleeping. */
export interface DurableHandle {
  get(instanceId: string): InstanceSnapshot | undefined;
  list(): InstanceSnapshot[];
  /**
   * Resolves with the instance's snapshot once `until` holds (by default: it finished), checking after every
   * change; rejects after `timeoutMs` of real time with the instance's state in the message.
   */
  waitFor(
    instanceId: string,
    until?: (instance: InstanceSnapshot) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<InstanceSnapshot>;
  /** Resolves once no orchestrator episode, activity or start is in flight. */
  idle(): Promise<void>;
}

const finished = (instance: InstanceSnapshot) => TERMINAL_STATUSES.has(instance.runtimeStatus);

export function durableExtension(appRoot: string): DevHostExtension<DurableHandle> {
  let engine: DurableEngine | undefined;
  const undo: (() => void)[] = [];
  return {
    name: "durable",
    beforeLoad(context: ExtensionContext) {
      const atLeastOnce =
        context.options.atLeastOnceActivities ?? process.env.DEVHOST_AT_LEAST_ONCE_ACTIVITIES === "true";
      engine = new DurableEngine(context.registry, context.clock, atLeastOnce ? 2 : 1);
      const hubName = taskHubName(appRoot);
      const data = { json: JSON.stringify(durableClientData(context.url, hubName)) };
      undo.push(provideInput("durableClient", () => data));
      undo.push(provideInput("orchestrationClient", () => data));
      useWebsiteHostname(context.url, undo);
      context.addRoute(durableHttpApi(engine, hubName));
      context.addRoute(devExecutionsRoute(engine));
    },
    async start() {
      return handleOf(engine!);
    },
    async stop() {
      await engine?.stop();
      for (const step of undo.splice(0).reverse()) step();
    },
  };
}

/**
 * Without WEBSITE_HOSTNAME the library rewrites the binding's links to http://localhost:7071 (getClient.js), which
 * is wrong on any other port. In Azure the platform sets it to the app's host name; the devhost, playing the
 * host, sets it to where it listens, for as long as it runs (the library's calls use rpcBaseUrl either way).
 */
function useWebsiteHostname(url: string, undo: (() => void)[]): void {
  if (process.env.WEBSITE_HOSTNAME !== undefined) return;
  process.env.WEBSITE_HOSTNAME = new URL(url).host;
  undo.push(() => delete process.env.WEBSITE_HOSTNAME);
}

/** GET /dev/executions/{instanceId}: the instance's state, raw history and work in flight. */
function devExecutionsRoute(engine: DurableEngine): DevRoute {
  const prefix = "/dev/executions/";
  return async (req, res, url) => {
    if (!url.pathname.startsWith(prefix) || req.method !== "GET") return false;
    const instanceId = decodeURIComponent(url.pathname.slice(prefix.length));
    const instance = engine.instances.get(instanceId);
    if (!instance) sendJson(res, 404, { error: `No orchestration instance '${instanceId}'.` });
    else sendJson(res, 200, snapshotOf(instance));
    return true;
  };
}

function handleOf(engine: DurableEngine): DurableHandle {
  const get = (instanceId: string) => {
    const instance = engine.instances.get(instanceId);
    return instance ? snapshotOf(instance) : undefined;
  };
  return {
    get,
    list: () => [...engine.instances.values()].map(snapshotOf),
    idle: () => engine.idle(),
    waitFor: (instanceId, until = finished, { timeoutMs = 10_000 } = {}) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const snapshot = get(instanceId);
          if (!snapshot || !until(snapshot)) return false;
          stopWatching();
          clearTimeout(timeout);
          resolve(snapshot);
          return true;
        };
        const stopWatching = engine.onChange(instanceId, check);
        const timeout = setTimeout(() => {
          stopWatching();
          const state = JSON.stringify(get(instanceId) ?? "no such instance", null, 2);
          reject(
            new Error(
              `Instance '${instanceId}' did not reach the awaited state in ${timeoutMs} ms: ${state}`,
            ),
          );
        }, timeoutMs);
        check();
      }),
  };
}
