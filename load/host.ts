// The devhost a load run drives: `npm start`'s program on a free loopback port, and its resident memory.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface LoadTarget {
  url: string;
  platformToken: string;
  /** The host's process, when known (spawned, or `--pid`): its RSS is read from /proc. */
  pid: number | undefined;
  /** The Cosmos emulator's own process, when the run started one. */
  cosmosPid?: number;
  /** Where the spawned host's output went. */
  logFile?: string;
  stop(): Promise<void>;
}

/** The compiled devhost entry point, as `npm start` runs it after its build (dist/load/ → dist/devhost/main.js). */
const DEVHOST_MAIN = join(__dirname, "..", "devhost", "main.js");
const COSMOS_PROCESS = join(__dirname, "cosmos-process.js");

/** A child process that ends when the run does. */
function child(args: string[], env: NodeJS.ProcessEnv, log: NodeJS.WritableStream) {
  const process_ = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  process_.stderr!.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => process_.once("exit", () => resolve()));
  const stop = async () => {
    if (process_.exitCode === null && process_.signalCode === null) process_.kill("SIGTERM");
    await exited;
  };
  return { process: process_, stop };
}

/** Starts the Cosmos emulator in its own process and reads its endpoint and key from its first line. */
async function spawnCosmos(log: NodeJS.WritableStream) {
  const cosmos = child([COSMOS_PROCESS], process.env, log);
  const stdout = cosmos.process.stdout!;
  const line = await new Promise<string>((resolve, reject) => {
    let text = "";
    stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) resolve(text.slice(0, text.indexOf("\n")));
    });
    cosmos.process.once("exit", (code) => reject(new Error(`the Cosmos emulator exited with ${code}`)));
  });
  stdout.resume();
  return { ...cosmos, ...(JSON.parse(line) as { endpoint: string; key: string }) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts the devhost as `npm start` does (sandboxed products, seeded demo org) and waits for its health. Its
 * Cosmos is the same emulator `npm start` embeds, in a process of its own (as the database is outside the app in
 * Azure): the devhost's RSS is then the host and the app, not every document the run stored.
 */
export async function spawnDevHost(startTimeoutMs: number): Promise<LoadTarget> {
  const port = await freePort();
  const platformToken = `load-platform-${randomBytes(16).toString("hex")}`;
  const logFile = join(tmpdir(), `hub-load-devhost-${port}.log`);
  const log = createWriteStream(logFile);
  const cosmos = await spawnCosmos(log);
  const host = child(
    // --expose-gc: GET /dev/memory then measures what the host holds after a full collection (docs/devhost.md).
    ["--expose-gc", DEVHOST_MAIN],
    {
      ...process.env,
      DEVHOST_PORT: String(port),
      PLATFORM_ADMIN_TOKEN: platformToken,
      COSMOS__accountEndpoint: cosmos.endpoint,
      COSMOS_KEY: cosmos.key,
    },
    log,
  );
  host.process.stdout!.pipe(log, { end: false });
  const stop = async () => {
    await host.stop();
    await cosmos.stop();
    log.end();
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (host.process.exitCode !== null) {
      await stop();
      throw new Error(`the devhost exited with ${host.process.exitCode}; see ${logFile}`);
    }
    const health = await fetch(`${url}/api/health`).catch(() => undefined);
    if (health?.status === 200) break;
    await health?.arrayBuffer();
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the devhost did not answer /api/health within ${startTimeoutMs} ms; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, platformToken, pid: host.process.pid, cosmosPid: cosmos.process.pid, logFile, stop };
}

/** Resident set size in MiB from /proc (Linux), or undefined where it cannot be read. */
export function rssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface SettledMemory {
  rss: number;
  heapUsed: number;
  /** False when invocations were still running after the host's wait (docs/devhost.md, `GET /dev/memory`). */
  atRest: boolean;
}

/**
 * The host's resident size and live heap in MiB at rest (GET /dev/memory waits for the invocations in flight) and
 * right after a full collection, if it can collect.
 */
export async function settledMemory(url: string): Promise<SettledMemory | undefined> {
  const response = await fetch(`${url}/dev/memory`).catch(() => undefined);
  if (!response?.ok) return undefined;
  const memory = (await response.json()) as {
    collected: boolean;
    quiescent?: boolean;
    rss_mib: number;
    heap_used_mib: number;
  };
  if (!memory.collected) return undefined;
  return { rss: memory.rss_mib, heapUsed: memory.heap_used_mib, atRest: memory.quiescent !== false };
}
