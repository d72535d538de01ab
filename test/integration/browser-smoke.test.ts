// The real-browser harness works end to end: Chromium (the system's or npm's), at a phone viewport, loading a page from the devhost.
import { existsSync, rmSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { closeBrowser, launchBrowser, PHONE, phonePage, pngSize, screenshotPath } from "../support/browser";
import { bootDevHost } from "../support/devhost";

describe("browser harness", () => {
  let host: DevHost;
  let browser: Browser | undefined;
  beforeAll(async () => {
    host = await bootDevHost();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await closeBrowser(browser);
    await host?.stop();
  });

  it("shows /api/health on a phone-sized page and saves a phone-sized screenshot", async () => {
    const page = await phonePage(browser!);
    const response = await page.goto(`${host.url}/api/health`);
    expect(response?.status()).toBe(200);
    // The screen, not window.innerWidth: a page without a viewport meta tag (this JSON) is laid out 980px wide on
    // phones, which is exactly what a real phone would do.
    const device = await page.evaluate(() => ({
      screen: [screen.width, screen.height],
      pixelRatio: window.devicePixelRatio,
      touch: navigator.maxTouchPoints > 0,
      mobile: /Mobile/.test(navigator.userAgent),
    }));
    expect(device).toEqual({
      screen: [PHONE.width, PHONE.height],
      pixelRatio: PHONE.deviceScaleFactor,
      touch: true,
      mobile: true,
    });
    const shown = JSON.parse(await page.locator("body").innerText()) as unknown;
    expect(shown).toEqual({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });

    const path = screenshotPath("health-phone");
    rmSync(path, { force: true });
    await page.screenshot({ path });
    expect(existsSync(path)).toBe(true);
    expect(pngSize(path)).toEqual({
      width: PHONE.width * PHONE.deviceScaleFactor,
      height: PHONE.height * PHONE.deviceScaleFactor,
    });
  });

  it("fails, rather than skipping or falling back, when CHROMIUM_PATH names no executable", async () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = "/nonexistent/chromium";
    try {
      await expect(launchBrowser()).rejects.toThrow(/CHROMIUM_PATH names \/nonexistent\/chromium/);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });
});
