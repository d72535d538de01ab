// `npm run package`: the one place that decides what ships to Azure (docs/deploy.md). It writes dist/package, a
// self-contained Functions app: one esbuild bundle of every function file with the production dependencies inside
// (app.js, its source map and the dependencies' licences), a bundle per SDK loaded on first use (lazy/), host.json
// and a package.json naming app.js as `main`.
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

/**
 * SDKs the app loads only on first use (`await import(…)`: the Service Bus client on the first publish in Azure, ACS
 * on the first notification, the managed identity on the first token, the QR code on an enrolment, the
 * common-password list when a password is set). Each ships as its own bundle in lazy/, so a cold start compiles
 * only app.js (docs/deploy.md, "Cold start"); the code they share with app.js is duplicated, not shared.
 */
const LAZY = [
  "@azure/communication-email",
  "@azure/communication-sms",
  "@azure/identity",
  "@azure/service-bus",
  "@zxcvbn-ts/language-common",
  "qrcode",
];
const lazyFile = (name) => `lazy/${name.replace(/^@/, "").replace(/\//g, "-")}.js`;

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // The Functions worker answers this require itself (as the devhost does); it must never be bundled.
  external: ["@azure/functions-core"],
  minify: true,
  // Error and class names stay readable in logs; some SDKs compare constructor names.
  keepNames: true,
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "linked",
  logLevel: "warning",
};

await build({
  ...common,
  stdin: {
    contents: functionFiles.map((file) => `require("./functions/${file}");`).join("\n"),
    resolveDir: root,
    sourcefile: "app-entry.js",
    loader: "js",
  },
  outfile: join(out, "app.js"),
  // `import()` of a lazy bundle becomes require(): node's ESM loader would see a minified CommonJS file's exports
  // only as `default`, and the app takes named ones (e.g. `{ dictionary }`).
  supported: { "dynamic-import": false },
  plugins: [
    {
      name: "lazy-sdks",
      setup(builder) {
        const names = new RegExp(`^(${LAZY.map((name) => name.replace(/[/.]/g, "\\$&")).join("|")})$`);
        builder.onResolve({ filter: names }, (args) => ({
          path: `./${lazyFile(args.path)}`,
          external: true,
        }));
      },
    },
  ],
  // Stack traces in Application Insights point at the TypeScript sources through app.js.map.
  banner: { js: "process.setSourceMapsEnabled(true);" },
});

for (const name of LAZY)
  await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: root, loader: "js" },
    outfile: join(out, lazyFile(name)),
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
