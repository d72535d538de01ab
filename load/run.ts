// `npm run load`: drives a devhost with a realistic mix for a bounded time and prints latency per operation,
// errors and the host's memory, each goal with pass/fail (README, "Performance").
import autocannon from "autocannon";
import { join } from "node:path";
import { readLocalSettings } from "../devhost/settings";
import { setUpFixture } from "./fixture";
import type { LoadTarget } from "./host";
import { rssMiB, settledMemory, spawnDevHost } from "./host";
import type { Operation, Planned } from "./mix";
import { operations } from "./mix";
import type { OperationStats } from "./report";
import { printReport } from "./report";

export interface LoadOptions {
  durationS: number;
  warmupS: number;
  /** Requests per second, all operations together. */
  rate: number;
  connections: number;
  url?: string;
  pid?: number;
}

const USAGE = `npm run load -- [--duration 60] [--warmup 10] [--rate 100] [--connections 20] [--url http://… [--pid N]]
  --duration  seconds measured (default 60)       --warmup  seconds run first and not counted (default 10)
  --rate      requests/s, all operations (30)     --connections  concurrent connections (20)
  --url       drive an already-running host instead of starting one (PLATFORM_ADMIN_TOKEN must be its token)
  --pid       that host's process id, to read its memory from /proc`;

export function parseOptions(argv: string[]): LoadOptions {
  const options: LoadOptions = { durationS: 60, warmupS: 10, rate: 30, connections: 20 };
  const number = (name: string, value: string | undefined, min: number) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min)
      throw new Error(`${name} needs a number ≥ ${min}\n${USAGE}`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i++) {
    const [name, value] = [argv[i], argv[i + 1]];
    i++;
    if (name === "--duration") options.durationS = number(name, value, 1);
    else if (name === "--warmup") options.warmupS = number(name, value, 0);
    else if (name === "--rate") options.rate = number(name, value, 1);
    else if (name === "--connections") options.connections = number(name, value, 1);
    else if (name === "--url" && value) options.url = value.replace(/\/+$/, "");
    else if (name === "--pid") options.pid = number(name, value, 1);
    else throw new Error(`unknown option ${name ?? ""}\n${USAGE}`);
  }
  return options;
}

function target(options: LoadOptions): Promise<LoadTarget> {
  if (!options.url) return spawnDevHost(180_000);
  const platformToken =
    process.env.PLATFORM_ADMIN_TOKEN ??
    readLocalSettings(join(__dirname, "..", "..")).PLATFORM_ADMIN_TOKEN ??
    "";
  return Promise.resolve({ url: options.url, platformToken, pid: options.pid, stop: async () => {} });
}

/** Picks operations by weight; one with nothing to do hands over to its `otherwise`. */
function chooser(ops: Operation[]): () => { op: Operation; planned: Planned } {
  const total = ops.reduce((sum, op) => sum + op.weight, 0);
  return () => {
    let roll = Math.random() * total;
    let op = ops.find((candidate) => (roll -= candidate.weight) < 0) ?? ops[0]!;
    let planned = op.plan();
    while (!planned && op.otherwise) {
      op = op.otherwise;
      planned = op.plan();
    }
    if (!planned) throw new Error(`load: ${op.name} has nothing to send and no fallback`);
    return { op, planned };
  };
}

const RSS_SAMPLES = 5;

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface Sent {
  op: Operation;
  planned: Planned;
}

/** One autocannon run of the mix; `record` sees every answer with its operation and latency. */
async function drive(
  url: string,
  options: LoadOptions,
  seconds: number,
  next: () => Sent,
  record: (sent: Sent, status: number, body: string, latencyMs: number) => void,
): Promise<autocannon.Result> {
  // autocannon calls onResponse and then emits `response` for the same answer, synchronously: the first hands
  // the operation to the second, which has the latency.
  let answered: { sent: Sent; status: number; body: string } | undefined;
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: options.connections,
        overallRate: options.rate,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            setupRequest: (request, context) => {
              const sent = next();
              (context as { sent?: Sent }).sent = sent;
              const { method, path, headers, body } = sent.planned;
              return { ...request, method: method as autocannon.Request["method"], path, headers, body };
            },
            onResponse: (status, body, context, headers) => {
              const sent = (context as { sent: Sent }).sent;
              const lower: Record<string, string | string[] | undefined> = {};
              for (const [name, value] of Object.entries(headers ?? {})) lower[name.toLowerCase()] = value;
              sent.planned.answered?.(status, body, lower);
              answered = { sent, status, body };
            },
          },
        ],
      },
      (error: unknown, result) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result),
    );
  });
  instance!.on("response", (_client, _status, _bytes, latencyMs) => {
    if (!answered) return;
    record(answered.sent, answered.status, answered.body, latencyMs);
    answered = undefined;
  });
  return finished;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  console.error(
    options.url ? `load: driving ${options.url}` : "load: starting the devhost (npm start's program)…",
  );
  const host = await target(options);
  try {
    const bootRss = rssMiB(host.pid);
    const fixture = await setUpFixture(host.url, host.platformToken);
    const ops = operations(fixture);
    const next = chooser(ops);

    if (options.warmupS > 0) {
      console.error(`load: warm-up ${options.warmupS} s (not counted)…`);
      await drive(host.url, options, options.warmupS, next, () => {});
    }
    // One sample a second; the start and the end are medians of five, so one garbage collection does not decide.
    const samples: number[] = [];
    const sample = () => {
      const now = rssMiB(host.pid);
      if (now !== undefined) samples.push(now);
    };
    const settledStart = await settledMemory(host.url);
    sample();
    const cosmosStart = rssMiB(host.cosmosPid);
    const sampler = setInterval(sample, 1_000);
    const stats = new Map<Operation, OperationStats>();
    for (const op of ops) stats.set(op, { name: op.name, latencies: [], errors: 0, samples: [] });
    console.error(
      `load: ${options.durationS} s at ${options.rate} requests/s over ${options.connections} connections…`,
    );
    const result = await drive(
      host.url,
      options,
      options.durationS,
      next,
      (sent, status, body, latencyMs) => {
        const entry = stats.get(sent.op)!;
        entry.latencies.push(latencyMs);
        if (!sent.op.ok.includes(status)) {
          entry.errors++;
          if (entry.samples.length < 3) entry.samples.push(`${status} ${body.slice(0, 200)}`);
        }
      },
    );
    clearInterval(sampler);
    sample();
    const settledEnd = await settledMemory(host.url);
    return printReport({
      options,
      operations: [...stats.values()],
      transportErrors: result.errors,
      timeouts: result.timeouts,
      seconds: result.duration,
      rss: {
        boot: bootRss,
        start: median(samples.slice(0, RSS_SAMPLES)),
        end: median(samples.slice(-RSS_SAMPLES)),
        peak: samples.length > 0 ? Math.max(...samples) : undefined,
        settled:
          settledStart !== undefined && settledEnd !== undefined
            ? { start: settledStart, end: settledEnd }
            : undefined,
        cosmos:
          host.cosmosPid === undefined ? undefined : { start: cosmosStart, end: rssMiB(host.cosmosPid) },
      },
    });
  } finally {
    await host.stop();
    if (host.logFile) console.error(`load: the devhost's output is in ${host.logFile}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
