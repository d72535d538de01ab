// Prints a load run: latency percentiles and errors per operation, the host's memory, and each goal with pass/fail.
import type { SettledMemory } from "./host";
import type { LoadOptions } from "./run";

export interface OperationStats {
  name: string;
  /** Milliseconds, one per answer. */
  latencies: number[];
  /** Answers with a status the operation does not expect. */
  errors: number;
  /** The first few unexpected answers, to say what went wrong. */
  samples: string[];
}

export interface LoadReport {
  options: LoadOptions;
  operations: OperationStats[];
  transportErrors: number;
  timeouts: number;
  seconds: number;
  /**
   * MiB: when the host answered; after the warm-up and at the end (each the median of five samples a second
   * apart); the highest sample of the run.
   */
  rss: {
    boot?: number;
    start?: number;
    end?: number;
    peak?: number;
    /**
     * Right after a full collection in the host (GET /dev/memory, when the host runs with --expose-gc), after the
     * warm-up and at the end: what the host still holds, without the heap V8 grew but had not collected yet.
     */
    settled?: { start: SettledMemory; end: SettledMemory };
    /** The Cosmos emulator's own process (where the stored documents grow), after the warm-up and at the end. */
    cosmos?: { start?: number; end?: number };
  };
}

/** The goals (issue: performance under sustained load). */
export const GOALS = { maxTailRatio: 10, maxRssGrowth: 0.1 };

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const ms = (value: number) => (Number.isNaN(value) ? "–" : value < 10 ? value.toFixed(1) : value.toFixed(0));
const mib = (value: number | undefined) => (value === undefined ? "n/a" : `${value.toFixed(0)} MiB`);
const verdict = (pass: boolean | undefined) => (pass === undefined ? "not measured" : pass ? "PASS" : "FAIL");

/** Prints the report; the exit code is 0 when every measured goal holds, 1 otherwise. */
export function printReport(report: LoadReport): number {
  const rows = report.operations.map((op) => {
    const sorted = [...op.latencies].sort((a, b) => a - b);
    const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(sorted, p)) as [number, number, number];
    return { op, p50, p95, p99, tail: p99 / p50 };
  });
  const total = rows.reduce((sum, row) => sum + row.op.latencies.length, 0);
  const errors = rows.reduce((sum, row) => sum + row.op.errors, 0) + report.transportErrors + report.timeouts;
  console.log(
    [
      `Load: ${report.seconds.toFixed(0)} s at ${report.options.rate} requests/s target over ${report.options.connections} connections (after ${report.options.warmupS} s of warm-up): ${total} requests, ${(total / report.seconds).toFixed(0)}/s`,
      "",
      "| operation | requests | errors | p50 ms | p95 ms | p99 ms | p99 ÷ p50 |",
      "|---|---|---|---|---|---|---|",
      ...rows.map(
        (row) =>
          `| ${row.op.name} | ${row.op.latencies.length} | ${row.op.errors} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.p99)} | ${Number.isNaN(row.tail) ? "–" : `${row.tail.toFixed(1)}×`} |`,
      ),
      "",
      `Connection errors: ${report.transportErrors}, timeouts: ${report.timeouts}`,
      ...(total / report.seconds < 0.9 * report.options.rate
        ? [
            `The host did not keep up with ${report.options.rate} requests/s: the latencies include queueing (try a lower --rate).`,
          ]
        : []),
      `Devhost RSS: ${mib(report.rss.boot)} at boot, ${mib(report.rss.start)} after warm-up, ${mib(report.rss.end)} at the end (peak ${mib(report.rss.peak)})`,
      ...(report.rss.settled
        ? [
            `Devhost at rest, right after a full collection: RSS ${mib(report.rss.settled.start.rss)} after warm-up, ${mib(report.rss.settled.end.rss)} at the end; live heap ${mib(report.rss.settled.start.heapUsed)}, then ${mib(report.rss.settled.end.heapUsed)}`,
            ...(report.rss.settled.start.atRest && report.rss.settled.end.atRest
              ? []
              : [
                  "(invocations were still running when it measured: the figures include their working memory)",
                ]),
          ]
        : []),
      ...(report.rss.cosmos
        ? [
            `Cosmos emulator (its own process, holding every stored document) RSS: ${mib(report.rss.cosmos.start)} after warm-up, ${mib(report.rss.cosmos.end)} at the end`,
          ]
        : []),
    ].join("\n"),
  );
  for (const row of rows)
    for (const sample of row.op.samples) console.log(`  unexpected answer to ${row.op.name}: ${sample}`);

  const tails = rows.filter((row) => row.op.latencies.length > 0);
  const worst = tails.reduce<(typeof rows)[number] | undefined>(
    (max, row) => (max === undefined || row.tail > max.tail ? row : max),
    undefined,
  );
  // The settled figures when the host could collect (a raw sample also counts uncollected heap), else the raw ones.
  const { settled } = report.rss;
  const { start, end } = settled ? { start: settled.start.rss, end: settled.end.rss } : report.rss;
  const growth = start !== undefined && end !== undefined ? (end - start) / start : undefined;
  const measured = report.rss.settled ? "after a full collection" : "raw samples";
  const goals: [string, boolean | undefined][] = [
    [`0 errors (${errors})`, errors === 0],
    [
      `p99 within ${GOALS.maxTailRatio}× p50 for every operation (worst: ${worst ? `${worst.tail.toFixed(1)}×, ${worst.op.name}` : "none"})`,
      tails.length > 0 && tails.every((row) => row.tail <= GOALS.maxTailRatio),
    ],
    [
      `RSS after warm-up grows < ${GOALS.maxRssGrowth * 100}% (${growth === undefined ? "n/a" : `${(growth * 100).toFixed(1)}%`}, ${measured})`,
      growth === undefined ? undefined : growth < GOALS.maxRssGrowth,
    ],
  ];
  console.log("\nGoals:");
  for (const [goal, pass] of goals) console.log(`  ${verdict(pass)}  ${goal}`);
  return goals.some(([, pass]) => pass === false) ? 1 : 0;
}
