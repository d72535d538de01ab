// Drives Chromium with playwright-core for real-browser tests: which binary, a phone-sized page and a screenshot folder.
import { accessSync, constants, mkdirSync, readFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { npmChromium, type LaunchableChromium } from "./npm-chromium";

/** Where tests save screenshots (git-ignored; CI keeps test-output/ as the run's artefacts). */
export const SCREENSHOT_DIR = resolve(__dirname, "../../test-output/screenshots");

export const PHONE = { width: 375, height: 812, deviceScaleFactor: 2 } as const;

// A Chromium on Android: the page should see the phone it is laid out for, not a desktop Linux browser.
const PHONE_USER_AGENT =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

// Keep the browser to the pages a test opens: no sandbox (CI runs as root), no GPU, and none of the background
// traffic (updates, sync, QUIC probes) that would reach past loopback.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const SYSTEM_CHROMIUM_NAMES = ["chromium", "google-chrome-stable", "google-chrome"];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first Chromium or Chrome on PATH (Ubuntu's `chromium-browser` is left out: it is a shim for a snap). */
export function systemChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean))
    for (const name of SYSTEM_CHROMIUM_NAMES) if (isExecutable(join(dir, name))) return join(dir, name);
  return undefined;
}

/**
 * Which Chromium the browser tests launch: `CHROMIUM_PATH` when set, else the system's, else the one inside the
 * `@sparticuz/chromium` npm package (so `npm install && npm test` needs nothing else). `CHROMIUM_SOURCE=npm`
 * skips the system lookup, to prove the npm one works on a machine that has both.
 */
export async function findChromium(): Promise<LaunchableChromium> {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    if (!isExecutable(chosen))
      throw new Error(
        `CHROMIUM_PATH names ${chosen}, which is not an executable file. Point it at a Chromium or Chrome ` +
          "binary, or unset it to use the system's Chromium or the one inside the @sparticuz/chromium package.",
      );
    return { executablePath: chosen, env: {} };
  }
  const system = process.env.CHROMIUM_SOURCE === "npm" ? undefined : systemChromium();
  return system ? { executablePath: system, env: {} } : npmChromium();
}

/**
 * A headless Chromium. Each launch gets its own temporary profile (playwright-core creates it and removes it on
 * close). Fails, never skips, when Chromium cannot start: a browser test that silently did not run proves nothing.
 */
export async function launchBrowser(): Promise<Browser> {
  const { executablePath, env } = await findChromium();
  return chromium.launch({
    executablePath,
    // The browser inherits this process's environment (playwright-core replaces it when `env` is given).
    env: { ...(process.env as Record<string, string>), ...env },
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}

/**
 * A page in a fresh context at a phone viewport (375×812 CSS pixels unless `size` says otherwise, 2× pixels, touch,
 * mobile user agent); `javaScriptEnabled: false` proves a page works without script.
 */
export async function phonePage(
  browser: Browser,
  options: { size?: { width: number; height: number }; javaScriptEnabled?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.size ?? { width: PHONE.width, height: PHONE.height },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    deviceScaleFactor: PHONE.deviceScaleFactor,
    isMobile: true,
    hasTouch: true,
    userAgent: PHONE_USER_AGENT,
  });
  return context.newPage();
}

/**
 * Closes the browser and everything in it. Never throws: it runs in afterAll, where an error would hide the test's
 * own failure; if the browser does not answer, playwright-core's own exit handler kills its process group.
 */
export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  if (!browser) return;
  await Promise.race([
    browser.close().catch(() => undefined),
    new Promise((done) => setTimeout(done, 10_000).unref()),
  ]);
}

/** `test-output/screenshots/<name>.png` (the folder is created). */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, name.endsWith(".png") ? name : `${name}.png`);
}

/** The pixel size a PNG file declares in its IHDR chunk (throws if the file is not a PNG). */
export function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (
    bytes.length < 24 ||
    !bytes.subarray(0, 8).equals(signature) ||
    bytes.toString("ascii", 12, 16) !== "IHDR"
  ) {
    throw new Error(`${path} is not a PNG`);
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
