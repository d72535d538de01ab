// A real Chromium without JavaScript, at phone size (390×844): the emailed reset link, a refused password, a new one.
import type { Browser } from "playwright-core";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBrowser, launchBrowser, pngSize, screenshotPath } from "../support/browser";
import { bootDevHost } from "../support/devhost";
import { durableOf } from "../support/executions";
import type { CreatedOrg } from "../support/identity";
import {
  createOrg,
  createUserWithPassword,
  login,
  MANY_SIGN_INS_MS,
  rememberSecret,
} from "../support/identity";

const VIEWPORT = { width: 390, height: 844 };

describe("the password reset page in a phone browser", () => {
  let host: Awaited<ReturnType<typeof bootDevHost>>;
  let browser: Browser;
  let org: CreatedOrg;
  beforeAll(async () => {
    host = await bootDevHost();
    org = await createOrg(host);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await closeBrowser(browser);
    await host?.stop();
  });

  it(
    "opens the emailed link, shows a broken rule, then sets the new password",
    async () => {
      const user = await createUserWithPassword(host, org, { orgRole: "member" });
      const asked = await host.fetch("/api/auth/password/forgot", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: user.email }),
      });
      expect(asked.status).toBe(202);
      await durableOf(host).idle();
      const outbox = (await (
        await host.fetch(`/dev/outbox?to=${encodeURIComponent(user.email)}`)
      ).json()) as {
        items: { links: string[]; idempotency_key: string }[];
      };
      // The user's first email was their invitation; the reset email is the latest.
      const link = rememberSecret(outbox.items.at(-1)!.links[0]!);
      expect(outbox.items.at(-1)!.idempotency_key.startsWith("invitation:")).toBe(false);

      const context = await browser.newContext({
        viewport: VIEWPORT,
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        // The page must work with no script at all.
        javaScriptEnabled: false,
      });
      const page = await context.newPage();
      const opened = await page.goto(link);
      expect(opened?.status()).toBe(200);
      await expect(page.title()).resolves.toBe("Choose a new password");
      expect(opened?.headers()["content-security-policy"]).toMatch(
        /default-src 'none'.*frame-ancestors 'none'/,
      );
      expect(opened?.headers()["referrer-policy"]).toBe("no-referrer");
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(VIEWPORT.width);
      const button = page.getByRole("button", { name: "Set the new password" });
      expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
      const formShot = screenshotPath("password-reset-phone");
      await page.screenshot({ path: formShot, fullPage: true });
      expect(pngSize(formShot).width).toBe(VIEWPORT.width * 2);

      // The browser's own minlength check would stop a short one, so a common password of a good length.
      await page.getByLabel("New password").fill("qwerty123456");
      await page.getByLabel("The same again").fill("qwerty123456");
      const refused = await Promise.all([page.waitForEvent("response"), button.click()]).then(([r]) => r);
      expect(refused.status()).toBe(422);
      await expect(page.getByRole("alert").innerText()).resolves.toContain(
        "is one of the most common passwords",
      );
      await page.screenshot({ path: screenshotPath("password-reset-refused-phone"), fullPage: true });

      const chosen = rememberSecret(`harbour lights ${randomUUID().slice(0, 8)}`);
      await page.getByLabel("New password").fill(chosen);
      await page.getByLabel("The same again").fill(chosen);
      const done = await Promise.all([
        page.waitForEvent("response"),
        page.getByRole("button", { name: "Set the new password" }).click(),
      ]).then(([r]) => r);
      expect(done.status()).toBe(200);
      await expect(page.getByRole("heading").innerText()).resolves.toBe("Password changed");
      await page.screenshot({ path: screenshotPath("password-reset-done-phone"), fullPage: true });
      await context.close();

      expect(await login(host, user.email, chosen)).toMatch(/^__Host-hub_session=/);
    },
    MANY_SIGN_INS_MS,
  );
});
