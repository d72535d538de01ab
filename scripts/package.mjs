// `npm run package`: the one place that decides what ships to Azure (docs/deploy.md). It writes dist/package, a
// self-contained Functions app: the compiled functions/ and shared/, host.json, package.json and the production
// dependencies only (no devhost, tests, benches, TypeScript or dev tools). azd deploys that folder as it is.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const out = join(root, "dist/package");

for (const built of ["dist/functions", "dist/shared"])
  if (!existsSync(join(root, built))) throw new Error(`${built} is missing: run npm run build first.`);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of ["host.json", "package.json", "package-lock.json", ".funcignore"])
  cpSync(join(root, file), join(out, file));
for (const dir of ["dist/functions", "dist/shared"])
  cpSync(join(root, dir), join(out, dir), { recursive: true });

// The lockfile's exact production tree; lifecycle scripts stay off as nothing here needs one.
execFileSync("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], {
  cwd: out,
  stdio: "inherit",
});
console.log(`package: ${out}`);
