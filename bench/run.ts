// `npm run bench`: boots one devhost and prints every row's ratio, all measured in this one run.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { DevHost } from "../devhost/host";
import { startDevHost } from "../devhost/host";
import type { BenchRow } from "./harness";
import { printTable } from "./harness";
import { benchRows } from "./rows";

export type BenchHost = DevHost;

async function main(): Promise<void> {
  const only = process.argv[2];
  const fixtures = join(__dirname, "fixtures");
  const host = await startDevHost({
    port: 0,
    settings: { COSMOS__accountEndpoint: "" },
    keepLogs: false,
    extraFunctionFiles: readdirSync(fixtures)
      .filter((file) => file.endsWith(".js"))
      .map((file) => join(fixtures, file)),
  });
  const rows: BenchRow[] = [];
  try {
    for (const entry of benchRows) {
      if (only && !entry.name.includes(only)) continue;
      console.error(`bench: ${entry.name}…`);
      rows.push(...(await (await entry.load())(host)));
    }
  } finally {
    await host.stop();
  }
  printTable(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
