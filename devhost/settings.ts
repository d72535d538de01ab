// App settings for a local run: local.settings.json (or the sample) under the process environment, as `func` does.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function readLocalSettings(appRoot: string): Record<string, string> {
  for (const file of ["local.settings.json", "local.settings.sample.json"]) {
    const path = join(appRoot, file);
    if (existsSync(path)) {
      const parsed = JSON.parse(readFileSync(path, "utf8")) as { Values?: Record<string, string> };
      return parsed.Values ?? {};
    }
  }
  return {};
}

/** Fills process.env from the file without overriding what the environment already says, then applies overrides. */
export function applySettings(
  fileValues: Record<string, string>,
  overrides: Record<string, string | undefined>,
): void {
  for (const [name, value] of Object.entries(fileValues)) process.env[name] ??= value;
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
