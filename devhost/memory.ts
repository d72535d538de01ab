// GET /dev/memory: the devhost process's memory, after a full garbage collection when node runs with --expose-gc.
import type { DevHostExtension } from "./extension";
import { sendJson } from "./http/problem";

const MIB = 1024 * 1024;

/**
 * `npm run load` asks this at the start and the end of its run: the resident size right after a full collection
 * says what the process still holds, where a raw sample also counts heap V8 has grown but not collected yet.
 */
export function memoryExtension(): DevHostExtension {
  return {
    name: "memory",
    beforeLoad(context) {
      context.addRoute(async (req, res, url) => {
        if (url.pathname !== "/dev/memory" || req.method !== "GET") return false;
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        const usage = process.memoryUsage();
        sendJson(res, 200, {
          collected: gc !== undefined,
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
