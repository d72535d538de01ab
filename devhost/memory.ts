// GET /dev/memory: the devhost process's memory at rest, after a full garbage collection when node runs with --expose-gc.
import { invocationsRunning } from "./core/invoke";
import type { DevHostExtension } from "./extension";
import { sendJson } from "./http/problem";

const MIB = 1024 * 1024;

/** How long the answer waits for the invocations in flight to finish before it measures anyway. */
export const QUIESCE_TIMEOUT_MS = 30_000;
const POLL_MS = 20;

/** Resolves once no function invocation is running (true), or after `timeoutMs` (false). */
async function quiesce(timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (invocationsRunning() > 0) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}

/**
 * `npm run load` asks this after its warm-up and at its end. It first waits for every invocation in flight to
 * finish: a load run stops sending while the host is still working on what it received, and that work's own memory
 * (a sign-in's scrypt holds 32 MiB until it returns) is not something the host keeps. The resident size right after
 * a full collection then says what the process holds at rest, where a raw sample also counts heap V8 has grown but
 * not collected yet.
 */
export function memoryExtension(): DevHostExtension {
  return {
    name: "memory",
    beforeLoad(context) {
      context.addRoute(async (req, res, url) => {
        if (url.pathname !== "/dev/memory" || req.method !== "GET") return false;
        const started = performance.now();
        const quiescent = await quiesce(QUIESCE_TIMEOUT_MS);
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        const usage = process.memoryUsage();
        sendJson(res, 200, {
          collected: gc !== undefined,
          quiescent,
          waited_ms: Math.round(performance.now() - started),
          rss_mib: usage.rss / MIB,
          heap_used_mib: usage.heapUsed / MIB,
          heap_total_mib: usage.heapTotal / MIB,
        });
        return true;
      });
    },
    start: async () => undefined,
  };
}
