// A gate that keeps at most N tasks of one piece of work in flight (a batch must not start everything at once).

/** Runs each task once one of the `limit` slots is free, in the order the tasks arrived. */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error("concurrencyLimit needs a positive integer.");
  let running = 0;
  const waiting: (() => void)[] = [];
  let next = 0;
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finished task hands its slot to the next waiting one, so `running` counts slots, not queued tasks.
    if (running < limit) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const handOver = waiting[next];
      if (handOver) {
        waiting[next++] = () => undefined;
        handOver();
      } else {
        running--;
        waiting.length = next = 0;
      }
    }
  };
}
