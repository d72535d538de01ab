// Package rows: the size of what `npm run package` ships, and how long a fresh process takes to load its functions.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import type { BenchRow, Measured } from "../harness";
import type { BenchRowsFn } from "./index";

const root = resolve(__dirname, "../../..");
const MB = 1024 * 1024;

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((total, entry) => total + sizeOf(join(path, entry)), 0);
}

/** What the package held before the bundle: compiled functions/ and shared/ plus the production node_modules. */
function unbundledSize(): number {
  const listed = execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\n")
    .filter((path) => path.includes(`${sep}node_modules${sep}`))
    .sort();
  // A nested node_modules is inside its parent's folder: count each tree once.
  const tops = listed.filter(
    (path, index) => !listed.slice(0, index).some((top) => path.startsWith(top + sep)),
  );
  return ["dist/functions", "dist/shared"].reduce(
    (total, dir) => total + sizeOf(join(root, dir)),
    tops.reduce((total, path) => total + sizeOf(path), 0),
  );
}

/** Milliseconds a fresh node process spends requiring every function file of `appRoot`. */
function loadMs(appRoot: string): number {
  const out = execFileSync(process.execPath, [join(root, "dist/bench/load-functions.js"), appRoot], {
    encoding: "utf8",
  });
  return (JSON.parse(out.trim().split("\n").pop()!) as { ms: number }).ms;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const rows: BenchRowsFn = async () => {
  const packageDir = mkdtempSync(join(tmpdir(), "hub-bench-package-"));
  try {
    execFileSync(process.execPath, [join(root, "scripts/package.mjs"), packageDir], { stdio: "pipe" });
    const packaged = sizeOf(packageDir);
    const before = unbundledSize();
    // Alternated so both sides see the same load on a shared machine; the median drops one-off stalls.
    const fromPackage: number[] = [];
    const fromDist: number[] = [];
    for (let round = 0; round < 5; round++) {
      fromPackage.push(loadMs(packageDir));
      fromDist.push(loadMs(root));
    }
    const packageMs = median(fromPackage);
    const distMs = median(fromDist);
    const sizeRow: BenchRow = {
      name: "deployment package size (npm run package)",
      subject: { label: `bundle ${(packaged / MB).toFixed(1)} MB`, opsPerSec: packaged / MB },
      baseline: {
        label: `functions+shared+prod node_modules ${(before / MB).toFixed(0)} MB`,
        opsPerSec: before / MB,
      },
      ratio: packaged / before,
      goal: "goal ≤ 15 MB",
      note: "(columns are MB, not ops/s)",
    };
    const subject: Measured = { label: `package ${packageMs.toFixed(0)} ms`, opsPerSec: 1000 / packageMs };
    const baseline: Measured = { label: `dist ${distMs.toFixed(0)} ms`, opsPerSec: 1000 / distMs };
    const loadRow: BenchRow = {
      name: "load every function: package time ÷ dist time (fresh process, median of 5)",
      subject,
      baseline,
      ratio: packageMs / distMs,
      goal: "goal ≤ 0.5×",
      note: "(loads/s; the ratio is of times)",
    };
    return [sizeRow, loadRow];
  } finally {
    rmSync(packageDir, { recursive: true, force: true });
  }
};

export default rows;
