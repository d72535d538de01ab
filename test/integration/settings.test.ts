// App settings: the sample file names exactly the schema's settings, and a bad setting stops start-up by name.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSettings, settingNames } from "../../shared/config";

const root = join(__dirname, "../..");
const sample = JSON.parse(readFileSync(join(root, "local.settings.sample.json"), "utf8")) as {
  Values: Record<string, string>;
};

function startApp(env: Record<string, string | undefined>) {
  return spawnSync(process.execPath, [join(root, "dist/devhost/main.js")], {
    cwd: root,
    env: { ...process.env, DEVHOST_PORT: "0", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("app settings", () => {
  it("local.settings.sample.json names exactly the settings of the schema", () => {
    expect(Object.keys(sample.Values).sort()).toEqual([...settingNames].sort());
  });

  it("accepts the sample values once the devhost fills in the Cosmos endpoint", () => {
    const settings = parseSettings({ ...sample.Values, COSMOS__accountEndpoint: "http://127.0.0.1:8081" });
    expect(settings.BUS_TOPIC).toBe("the-one-bus");
  });

  it("names every missing or invalid setting without echoing its value", () => {
    const env = {
      ...sample.Values,
      COSMOS__accountEndpoint: "http://127.0.0.1:8081",
      PLATFORM_ADMIN_TOKEN: "short-secret",
    };
    delete (env as Record<string, string | undefined>).PUBLIC_BASE_URL;
    expect(() => parseSettings(env)).toThrowError(/PUBLIC_BASE_URL is missing/);
    expect(() => parseSettings(env)).toThrowError(/PLATFORM_ADMIN_TOKEN is invalid/);
    expect(() => parseSettings(env)).not.toThrowError(/short-secret/);
  });

  it("npm start fails at start-up with a message naming the bad setting", () => {
    const result = startApp({ PUBLIC_BASE_URL: "not a url", PLATFORM_ADMIN_TOKEN: "" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PUBLIC_BASE_URL is invalid/);
    expect(result.stderr).toMatch(/PLATFORM_ADMIN_TOKEN is missing/);
  });
});
