// The Chromium that @sparticuz/chromium ships inside its npm package: unpacked once per version, safely under parallel test files.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

export interface LaunchableChromium {
  executablePath: string;
  /** Extra environment for the browser process (the package's own libraries and fonts). */
  env: Record<string, string>;
}

// Written last, just before the folder gets its final name: a folder without it was never finished.
const COMPLETE_MARK = ".complete";

function packageDir(): string {
  // build/cjs/index.cjs → the package folder (its package.json is not exported, so resolve the entry point).
  return join(dirname(require.resolve("@sparticuz/chromium")), "..", "..");
}

export function npmChromiumVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageDir(), "package.json"), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

/**
 * The package inflates into os.tmpdir() (`chromium`, `fonts/`, the SwiftShader libraries, and `al2023/lib` with
 * the NSS libraries the binary links against, which a bare machine lacks). A child process with TMPDIR pointed at
 * a private staging folder does the inflating, so this process's environment is never touched.
 */
const INFLATE_SCRIPT = `
const dir = process.argv[1];
const chromium = require(require("node:path").join(dir, "build/cjs/index.cjs"));
const { inflate } = require(require("node:path").join(dir, "build/cjs/lambdafs.cjs"));
Promise.all([chromium.executablePath(), inflate(require("node:path").join(dir, "bin/al2023.tar.br"))])
  .then(([path]) => process.stdout.write(path))
  .catch((error) => { console.error(error); process.exit(1); });
`;

/** Our fontconfig file: the system's configuration when there is one, plus the package's fonts. */
function fontsConf(folder: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${join(folder, "fonts")}</dir>
  <cachedir>${join(folder, "fonts-cache")}</cachedir>
</fontconfig>
`;
}

function launchable(folder: string): LaunchableChromium {
  const libs = join(folder, "al2023", "lib");
  const inherited = process.env.LD_LIBRARY_PATH;
  return {
    executablePath: join(folder, "chromium"),
    env: {
      LD_LIBRARY_PATH: inherited ? `${libs}:${inherited}` : libs,
      FONTCONFIG_FILE: join(folder, "fonts.conf"),
    },
  };
}

/**
 * `<root>/sparticuz-chromium-<version>/chromium`, unpacked on first use. Each version has its own folder, so
 * versions never mix; the folder appears complete or not at all (unpacked under a unique staging name, then
 * renamed), so test files starting together may both unpack, and the first rename wins while the other discards
 * its copy.
 */
export async function npmChromium(root = tmpdir()): Promise<LaunchableChromium> {
  const folder = join(root, `sparticuz-chromium-${npmChromiumVersion()}`);
  if (existsSync(join(folder, COMPLETE_MARK))) return launchable(folder);

  const staging = mkdtempSync(`${folder}.unpacking-`);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", INFLATE_SCRIPT, packageDir()], {
      env: { ...process.env, TMPDIR: staging },
    });
    if (stdout !== join(staging, "chromium")) throw new Error(`unexpected Chromium path ${stdout}`);
    writeFileSync(join(staging, "fonts.conf"), fontsConf(folder));
    writeFileSync(join(staging, COMPLETE_MARK), `${npmChromiumVersion()}\n`);
    try {
      renameSync(staging, folder);
    } catch (error) {
      // Another test file finished first: its folder is complete, ours is a duplicate.
      if (!existsSync(join(folder, COMPLETE_MARK))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return launchable(folder);
}
