// infra/ follows the app: every app setting is set by the Function App, every container exists with /org_id.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sqlFilter, theOneBus } from "../../shared/bus/topology";
import { settingNames } from "../../shared/config";
import { CONTAINERS } from "../../shared/store/containers";

const infra = (file: string) => readFileSync(join(__dirname, "../../infra", file), "utf8");

/** Settings that are deliberately not app settings in Azure, and why. */
const LOCAL_ONLY: Record<string, string> = {
  FUNCTIONS_WORKER_RUNTIME: "Flex Consumption sets the runtime in functionAppConfig",
  AzureWebJobsStorage: "Azure uses AzureWebJobsStorage__accountName with the managed identity",
  COSMOS_KEY: "only for the local emulator; Azure uses the managed identity",
};

describe("infra", () => {
  it("sets every app setting of shared/config.ts on the Function App", () => {
    const functionApp = infra("app/function-app.bicep");
    const missing = settingNames.filter(
      (name) => !(name in LOCAL_ONLY) && !functionApp.includes(`name: '${name}'`),
    );
    expect(missing).toEqual([]);
  });

  it("creates every container of shared/store/containers.ts, partitioned by /org_id", () => {
    const cosmos = infra("app/cosmos.bicep");
    const declared = [...cosmos.matchAll(/\{ name: '([a-z-]+)', defaultTtl/g)].map((match) => match[1]);
    expect(declared.sort()).toEqual(Object.keys(CONTAINERS).sort());
    expect(cosmos).toContain("paths: ['/org_id']");
  });

  it("uses identities, never keys or connection strings", () => {
    const all = [
      "main.bicep",
      "app/function-app.bicep",
      "app/storage.bicep",
      "app/cosmos.bicep",
      "app/service-bus.bicep",
    ]
      .map(infra)
      .join("\n");
    expect(all).not.toMatch(/listKeys|AccountKey=|SharedAccessKey|connectionString\(/);
    expect(all).toContain("disableLocalAuth: true");
    expect(all).toContain("allowSharedKeyAccess: false");
  });

  it("declares The One Bus's subscriptions with the SQL filters of shared/bus/topology.ts", () => {
    const declared = [
      ...infra("app/service-bus.bicep").matchAll(/name: '([a-z-]+)'[,\s]*filter: '((?:[^'\\]|\\.)*)'/g),
    ].map(([, name, filter]) => ({ name, filter: filter!.replace(/\\'/g, "'") }));
    expect(declared).toEqual(
      theOneBus.subscriptions.map((s) => ({ name: s.name, filter: sqlFilter(s.filter) })),
    );
  });
});
