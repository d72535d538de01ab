// A gate that keeps at most N tasks of one piece of work in flight, optionally with a bounded queue behind it.

export interface QueueBound {
  /** How many tasks may wait for a slot; one more is refused with `whenFull()`. */
  maxWaiting: number;
  whenFull: () => Error;
}

/** Runs each task once one of the `limit` slots is free, in the order the tasks arrived. */
export function concurrencyLimit(
  limit: number,
  bound?: QueueBound,
): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error("concurrencyLimit needs a positive integer.");
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finished task hands its slot to the next waiting one, so `running` counts slots, not queued tasks.
    if (running < limit) running++;
    else {
      if (bound && waiting.length >= bound.maxWaiting) throw bound.whenFull();
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      const handOver = waiting.shift();
      if (handOver) handOver();
      else running--;
    }
  };
}
