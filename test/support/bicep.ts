// Compiles infra/ with the Bicep CLI restored from NuGet (infra/tools/bicep), for the tests that read the ARM JSON.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { ArmTemplate } from "./arm-template";

const root = join(__dirname, "../..");

/** Exit code of infra/tools/bicep when the CLI is not restored here (and it was told not to fetch it). */
const NOT_RESTORED = 3;

export type Compiled = { template: ArmTemplate } | { missing: string };

/**
 * `bicep build <file> --stdout`, never touching the network: a machine without the restored CLI (no .NET SDK) gets
 * `{missing}` with the reason; a Bicep error throws, so a broken template fails wherever the CLI exists.
 */
export function compileBicep(file: string): Compiled {
  const result = spawnSync("bash", [join(root, "infra/tools/bicep"), "build", join(root, file), "--stdout"], {
    cwd: root,
    env: { ...process.env, BICEP_NO_RESTORE: "1" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  if (result.status === NOT_RESTORED) return { missing: result.stderr.trim() };
  if (result.status !== 0)
    throw new Error(`bicep build ${file} failed:\n${result.stderr}${result.error ?? ""}`);
  return { template: JSON.parse(result.stdout) as ArmTemplate };
}
