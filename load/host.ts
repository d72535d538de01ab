// The devhost a load run drives: `npm start`'s program on a free loopback port, and its resident memory.
import type { ChildProcess } from "node:child_process";
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
  /** Where the spawned host's output went. */
  logFile?: string;
  stop(): Promise<void>;
}

/** The compiled devhost entry point, as `npm start` runs it after its build (dist/load/ → dist/devhost/main.js). */
const DEVHOST_MAIN = join(__dirname, "..", "devhost", "main.js");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the devhost as `npm start` does (sandboxed products, seeded demo org) and waits for its health. */
export async function spawnDevHost(startTimeoutMs: number): Promise<LoadTarget> {
  const port = await freePort();
  const platformToken = `load-platform-${randomBytes(16).toString("hex")}`;
  const logFile = join(tmpdir(), `hub-load-devhost-${port}.log`);
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(process.execPath, [DEVHOST_MAIN], {
    env: { ...process.env, DEVHOST_PORT: String(port), PLATFORM_ADMIN_TOKEN: platformToken },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    log.end();
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the devhost exited with ${child.exitCode}; see ${logFile}`);
    const health = await fetch(`${url}/api/health`).catch(() => undefined);
    if (health?.status === 200) break;
    await health?.arrayBuffer();
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the devhost did not answer /api/health within ${startTimeoutMs} ms; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, platformToken, pid: child.pid, logFile, stop };
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
