// A real Chromium at phone size (390×844) with JavaScript off: a product's authorization request sends the user to Hub's
// sign-in page, the password step leads to the code step, a wrong code is refused, the app's code signs in and the
// browser lands on the product with a code. Screenshots of both steps under test-output/screenshots.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBrowser, launchBrowser, phonePage, pngSize, screenshotPath } from "../support/browser";
import { bootDevHost } from "../support/devhost";
import { createOrg, createUserWithPassword, login, MANY_SIGN_INS_MS } from "../support/identity";
import type { CreatedOrg } from "../support/identity";
import { codeAt, enrolTotp } from "../support/mfa";
import type { Host } from "../support/oauth";
import type { SsoProduct } from "../support/sso-product";
import { startSsoProduct } from "../support/sso-product";

const PHONE_390 = { width: 390, height: 844 };

describe("two-step sign-in in a phone browser without JavaScript", () => {
  let host: Host;
  let browser: Browser;
  let org: CreatedOrg;
  let product: SsoProduct;
  beforeAll(async () => {
    product = await startSsoProduct(() => `${host.url}/api`, "agents");
    host = await bootDevHost({
      settings: { PRODUCT_AGENTS_REDIRECT_URIS: product.redirectUri, PRODUCT_AGENTS_ORIGINS: product.origin },
    });
    org = await createOrg(host);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await closeBrowser(browser);
    await host?.stop();
    await product?.close();
  });

  async function expectFitsThePhone(page: Page) {
    const layout = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(layout.viewport).toBe(390);
    expect(layout.scroll).toBeLessThanOrEqual(390);
  }

  it(
    "asks for the password, then the code, refuses a wrong code, and returns to the product",
    async () => {
      const user = await createUserWithPassword(host, org, {
        orgRole: "member",
        product_access: { agents: "technician" },
      });
      const enrolled = await enrolTotp(host, await login(host, user.email, user.password));

      const page = await phonePage(browser, { size: PHONE_390, javaScriptEnabled: false });
      const authorize = new URL(`${host.url}/api/oauth/authorize`);
      authorize.search = new URLSearchParams({
        response_type: "code",
        client_id: "agents",
        redirect_uri: product.redirectUri,
        scope: "openid",
        state: "phone-state",
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        code_challenge_method: "S256",
      }).toString();
      await page.goto(authorize.toString());
      await expect(page.title()).resolves.toBe("Sign in to Hub");
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(user.password);
      await Promise.all([
        page.waitForLoadState("load"),
        page.getByRole("button", { name: "Sign in" }).click(),
      ]);

      // Step two: one field for the app's code (or a recovery code), nothing of the password step left.
      const code = page.getByLabel("Code");
      await expect(code.isVisible()).resolves.toBe(true);
      await expect(page.getByLabel("Password").count()).resolves.toBe(0);
      await expect(code.getAttribute("autocomplete")).resolves.toBe("one-time-code");
      const verify = page.getByRole("button", { name: "Verify" });
      expect((await verify.boundingBox())!.height).toBeGreaterThanOrEqual(44);
      await expectFitsThePhone(page);
      const stepShot = screenshotPath("signin-code-step-phone");
      await page.screenshot({ path: stepShot, fullPage: true });
      expect(pngSize(stepShot).width).toBe(780);

      await code.fill(codeAt(enrolled.app, 10));
      await Promise.all([page.waitForLoadState("load"), verify.click()]);
      await expect(page.getByRole("alert").innerText()).resolves.toBe("That code is not correct.");
      await expectFitsThePhone(page);
      await page.screenshot({ path: screenshotPath("signin-code-error-phone"), fullPage: true });

      await page.getByLabel("Code").fill(codeAt(enrolled.app, 1));
      await Promise.all([
        page.waitForURL(`${product.redirectUri}?**`),
        page.getByRole("button", { name: "Verify" }).click(),
      ]);
      const callback = new URL(page.url());
      expect(callback.searchParams.get("state")).toBe("phone-state");
      expect(callback.searchParams.get("code")).toBeTruthy();
      expect(callback.searchParams.get("iss")).toBe(`${host.url}/api`);
      await page.context().close();
    },
    MANY_SIGN_INS_MS,
  );
});
