// `npm run package`: the one place that decides what ships to Azure (docs/deploy.md). It writes dist/package, a
// self-contained Functions app: one esbuild bundle of every function file with the production dependencies inside
// (app.js, its source map and the dependencies' licences), host.json and a package.json naming app.js as `main`.
// No node_modules, devhost, tests, benches or dev tools. `node scripts/package.mjs <dir>` writes elsewhere.
import { build } from "esbuild";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = join(import.meta.dirname, "..");
const out = resolve(root, process.argv[2] ?? "dist/package");
const app = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// Every function file, in the order the worker loads package.json's `main` glob (sorted by name).
const functionFiles = readdirSync(join(root, "functions"))
  .filter((file) => file.endsWith(".ts"))
  .sort();

await build({
  stdin: {
    contents: functionFiles.map((file) => `require("./functions/${file}");`).join("\n"),
    resolveDir: root,
    sourcefile: "app-entry.js",
    loader: "js",
  },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  outfile: join(out, "app.js"),
  // The Functions worker answers this require itself (as the devhost does); it must never be bundled.
  external: ["@azure/functions-core"],
  minify: true,
  // Error and class names stay readable in logs; some SDKs compare constructor names.
  keepNames: true,
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "linked",
  // Stack traces in Application Insights point at the TypeScript sources through app.js.map.
  banner: { js: "process.setSourceMapsEnabled(true);" },
  logLevel: "warning",
});

for (const file of ["host.json", ".funcignore"]) cpSync(join(root, file), join(out, file));
const shipped = {
  name: app.name,
  version: app.version,
  private: true,
  description: app.description,
  main: "app.js",
  engines: app.engines,
};
writeFileSync(join(out, "package.json"), `${JSON.stringify(shipped, null, 2)}\n`);
console.log(`package: ${out}`);
