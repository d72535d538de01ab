// The Chromium inside the @sparticuz/chromium package: unpacked once per version, safe when test files start together.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { npmChromium, npmChromiumVersion } from "../support/npm-chromium";

describe("Chromium from npm", () => {
  const root = mkdtempSync(join(tmpdir(), "npm-chromium-test-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("unpacks one folder per version, once, even when two first uses race, and that Chromium renders a page", async () => {
    // Another version's folder must be neither used nor touched.
    mkdirSync(join(root, "sparticuz-chromium-0.0.1"));
    writeFileSync(join(root, "sparticuz-chromium-0.0.1", "chromium"), "not this one");

    const [first, second] = await Promise.all([npmChromium(root), npmChromium(root)]);
    const folder = join(root, `sparticuz-chromium-${npmChromiumVersion()}`);
    expect(first).toEqual(second);
    expect(first.executablePath).toBe(join(folder, "chromium"));
    expect(readdirSync(root).sort()).toEqual(
      ["sparticuz-chromium-0.0.1", `sparticuz-chromium-${npmChromiumVersion()}`].sort(),
    );

    const unpackedAt = statSync(first.executablePath).mtimeMs;
    expect(await npmChromium(root)).toEqual(first);
    expect(statSync(first.executablePath).mtimeMs).toBe(unpackedAt);

    const browser = await chromium.launch({
      executablePath: first.executablePath,
      env: { ...(process.env as Record<string, string>), ...first.env },
      headless: true,
      args: ["--no-sandbox", "--disable-gpu"],
      timeout: 30_000,
    });
    try {
      const page = await browser.newPage();
      await page.setContent("<h1>Rendered by the npm Chromium</h1>");
      expect(await page.locator("h1").innerText()).toBe("Rendered by the npm Chromium");
      expect(browser.version()).toMatch(/^\d+\./);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
