// Measures a subject against a baseline in the same run and reports the ratio (never absolute goals).

export interface Measured {
  label: string;
  opsPerSec: number;
}

export interface BenchRow {
  name: string;
  subject: Measured;
  baseline: Measured;
  /** subject ops/s ÷ baseline ops/s (or the row's own figure when `note` explains it). */
  ratio: number;
  goal?: string;
  note?: string;
}

/** How long a measuring loop may run before it lets timers and I/O of this process have their turn. */
export const YIELD_EVERY_MS = 5;

/**
 * A loop of operations that settle without I/O (a cached lookup, a hash) runs on microtasks alone and would keep
 * the event loop from turning for the whole measurement. The devhost shares this process: its keep-alive timers
 * would then all fire at once afterwards, closing the pooled sockets the next request has just been written to
 * (ECONNRESET). Yielding every few milliseconds keeps timers and I/O on time and costs both sides of a row alike.
 */
function yielder(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < YIELD_EVERY_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}

/** Runs `operation` repeatedly (after a warm-up) for about `ms` milliseconds; `concurrency` keeps that many in flight. */
export async function measure(
  label: string,
  operation: () => Promise<unknown>,
  { ms = 2_000, warmup = 50, concurrency = 1 }: { ms?: number; warmup?: number; concurrency?: number } = {},
): Promise<Measured> {
  const breathe = yielder();
  for (let i = 0; i < warmup; i++) {
    await operation();
    await breathe();
  }
  let done = 0;
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await operation();
        done++;
        await breathe();
      }
    }),
  );
  return { label, opsPerSec: (done * 1000) / (performance.now() - started) };
}

export function compare(name: string, subject: Measured, baseline: Measured, goal?: string): BenchRow {
  return { name, subject, baseline, ratio: subject.opsPerSec / baseline.opsPerSec, goal };
}

/** "rounds 0.44–0.53×, median 0.49×": how far the rounds of one measurement spread around its ratio. */
export function roundSpread(ratios: number[]): string {
  const sorted = [...ratios].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return `(rounds ${sorted[0]!.toFixed(2)}–${sorted.at(-1)!.toFixed(2)}×, median ${median.toFixed(2)}×)`;
}

export function printTable(rows: BenchRow[]): void {
  const lines = [
    "| row | subject ops/s | baseline ops/s | ratio | goal |",
    "|---|---|---|---|---|",
    ...rows.map(
      (row) =>
        `| ${row.name} | ${row.subject.opsPerSec.toFixed(0)} (${row.subject.label}) | ${row.baseline.opsPerSec.toFixed(0)} (${row.baseline.label}) | ${row.ratio.toFixed(2)}× | ${row.goal ?? ""}${row.note ? ` ${row.note}` : ""} |`,
    ),
  ];
  console.log(lines.join("\n"));
}
