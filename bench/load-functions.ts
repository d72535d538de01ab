// Run in a fresh process by the package bench row: loads every function file of one app and prints how long it took.
import { resolve } from "node:path";
import { installCoreModule } from "../devhost/core/install";
import { loadApp } from "../devhost/load-app";
import { applySettings, readLocalSettings } from "../devhost/settings";

// Nothing of the app (shared/, the SDKs) may be loaded before the clock starts, so not even devhost/host.
const repositoryRoot = resolve(__dirname, "..", "..");
const appRoot = process.argv[2];
if (!appRoot) throw new Error("usage: node dist/bench/load-functions.js <app root>");
// Some function files read settings as they load; nothing connects, so a placeholder endpoint is enough.
applySettings(readLocalSettings(repositoryRoot), { COSMOS__accountEndpoint: "https://localhost:8081/" });
installCoreModule();
const started = performance.now();
loadApp(resolve(appRoot));
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started })}\n`);
