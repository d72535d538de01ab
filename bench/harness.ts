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

/** Runs `operation` repeatedly (after a warm-up) for about `ms` milliseconds; `concurrency` keeps that many in flight. */
export async function measure(
  label: string,
  operation: () => Promise<unknown>,
  { ms = 2_000, warmup = 50, concurrency = 1 }: { ms?: number; warmup?: number; concurrency?: number } = {},
): Promise<Measured> {
  for (let i = 0; i < warmup; i++) await operation();
  let done = 0;
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await operation();
        done++;
      }
    }),
  );
  return { label, opsPerSec: (done * 1000) / (performance.now() - started) };
}

export function compare(name: string, subject: Measured, baseline: Measured, goal?: string): BenchRow {
  return { name, subject, baseline, ratio: subject.opsPerSec / baseline.opsPerSec, goal };
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
