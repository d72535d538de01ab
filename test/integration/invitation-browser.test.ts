// A real browser at a phone's size: open the emailed invitation, set a password (a weak one first), end signed in.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import { closeBrowser, launchBrowser, phonePage, pngSize, screenshotPath } from "../support/browser";
import { bootDevHost } from "../support/devhost";
import {
  accessToken,
  createOrg,
  invitationLinkFor,
  inviteUser,
  login,
  MANY_SIGN_INS_MS,
  rememberSecret,
} from "../support/identity";

describe("accepting an invitation in a phone browser", () => {
  let host: DevHost;
  let browser: Browser;
  beforeAll(async () => {
    host = await bootDevHost();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await closeBrowser(browser);
    await host?.stop();
  });

  it(
    "shows the form, explains a weak password, then sets a good one and signs the person in",
    async () => {
      const org = await createOrg(host, { name: "Northwind Traders" });
      const email = `nora-${Date.now()}@example.com`;
      expect((await inviteUser(host, org, { orgRole: "member", email, firstName: "Nora" })).status).toBe(201);
      const link = await invitationLinkFor(host, email);

      const page = await phonePage(browser);
      const opened = await page.goto(link);
      expect(opened?.status()).toBe(200);
      await expect(page.title()).resolves.toBe("Join your team on Hub");
      await expect(page.locator("h1").innerText()).resolves.toBe("Join Northwind Traders on Hub");
      await expect(page.getByLabel("Email").inputValue()).resolves.toBe(email);
      const layout = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
      }));
      expect(layout.viewport).toBe(375);
      expect(layout.scroll).toBeLessThanOrEqual(375);
      const submit = page.getByRole("button", { name: "Set password and sign in" });
      expect((await submit.boundingBox())!.height).toBeGreaterThanOrEqual(44);
      const formShot = screenshotPath("invitation-page-phone");
      await page.screenshot({ path: formShot, fullPage: true });
      expect(pngSize(formShot).width).toBe(750);

      // 12 characters, so the browser's own minlength lets it through; the server refuses it as common.
      await page.getByLabel("New password").fill("password1234");
      await Promise.all([page.waitForLoadState("load"), submit.click()]);
      await expect(page.getByRole("alert").innerText()).resolves.toContain("most common passwords");
      await page.screenshot({ path: screenshotPath("invitation-error-phone"), fullPage: true });

      const password = rememberSecret("quiet harbour lights at dawn");
      await page.getByLabel("New password").fill(password);
      await Promise.all([
        page.waitForLoadState("load"),
        page.getByRole("button", { name: "Set password and sign in" }).click(),
      ]);
      await expect(page.locator("h1").innerText()).resolves.toBe("You're in");
      const doneShot = screenshotPath("invitation-accepted-phone");
      await page.screenshot({ path: doneShot, fullPage: true });
      expect(pngSize(doneShot).width).toBe(750);

      // The browser holds a live Hub session, and the password signs in from now on.
      const session = (await page.context().cookies()).find((cookie) => cookie.name === "__Host-hub_session");
      expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax" });
      rememberSecret(session!.value);
      await expect(accessToken(host, `__Host-hub_session=${session!.value}`, "hub")).resolves.toEqual(
        expect.any(String),
      );
      await expect(login(host, email, password)).resolves.toMatch(/^__Host-hub_session=/);

      // Back to the link: it is used.
      const again = await page.goto(link);
      expect(again?.status()).toBe(410);
      await expect(page.locator("h1").innerText()).resolves.toBe("This invitation link no longer works");
      await page.context().close();
    },
    MANY_SIGN_INS_MS,
  );
});
