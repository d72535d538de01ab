// A real Chromium: a product page on another origin signs the user in with Hub, exchanges the code under CORS and
// calls the Agents API with the token; the sign-in page is photographed at phone size.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBrowser, launchBrowser, phonePage, pngSize, screenshotPath } from "../support/browser";
import { bootDevHost } from "../support/devhost";
import { createOrg, rememberSecret } from "../support/identity";
import type { CreatedOrg } from "../support/identity";
import type { Host } from "../support/oauth";
import type { SsoProduct } from "../support/sso-product";
import { startSsoProduct } from "../support/sso-product";

describe("signing in to a product with Hub in a phone browser", () => {
  let host: Host;
  let product: SsoProduct;
  let browser: Browser;
  let org: CreatedOrg;
  beforeAll(async () => {
    product = await startSsoProduct(() => `${host.url}/api`, "agents");
    host = await bootDevHost({
      settings: {
        PRODUCT_AGENTS_REDIRECT_URIS: product.redirectUri,
        PRODUCT_AGENTS_ORIGINS: product.origin,
        PRODUCT_AGENTS_CLIENT_SECRET: rememberSecret("browser-test-agents-client-secret-000000"),
      },
    });
    org = await createOrg(host);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await closeBrowser(browser);
    await host?.stop();
    await product?.close();
  });

  it("starts on the product, signs in on Hub's page, and the product calls /api/agents with its token", async () => {
    const page = await phonePage(browser);
    await page.goto(`${product.origin}/`);
    await Promise.all([
      page.waitForURL(/\/api\/signin\?/),
      page.getByRole("button", { name: "Sign in with Hub" }).click(),
    ]);
    await expect(page.title()).resolves.toBe("Sign in to Hub");
    const layout = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(layout.viewport).toBe(375);
    expect(layout.scroll).toBeLessThanOrEqual(375);
    const submit = page.getByRole("button", { name: "Sign in" });
    expect((await submit.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    const signInShot = screenshotPath("signin-page-phone");
    await page.screenshot({ path: signInShot, fullPage: true });
    expect(pngSize(signInShot).width).toBe(750);

    await page.getByLabel("Email").fill(org.owner.email);
    await page.getByLabel("Password").fill("not-the-password-0000");
    await Promise.all([page.waitForLoadState("load"), submit.click()]);
    await expect(page.getByRole("alert").innerText()).resolves.toBe("The email or password is incorrect.");
    await page.screenshot({ path: screenshotPath("signin-error-phone"), fullPage: true });

    await page.getByLabel("Password").fill(org.owner.password);
    await Promise.all([
      page.waitForURL(`${product.redirectUri}?**`),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    await page.waitForFunction(
      () => document.title === "Signed in" || document.getElementById("result")?.textContent,
      null,
      {
        timeout: 20_000,
      },
    );
    const result = JSON.parse(await page.locator("#result").innerText()) as Record<string, unknown>;
    expect(result).toEqual({
      token_status: 200,
      has_id_token: true,
      agents_status: 200,
      agents: expect.any(Number),
    });
    expect(result.agents).toBeGreaterThan(0);
    const callback = product.requests.find((path) => path.startsWith("/callback?"))!;
    expect(new URLSearchParams(callback.split("?")[1]).get("iss")).toBe(`${host.url}/api`);

    // Hub's session now lives in this browser: the next sign-in from the product needs no password.
    await page.goto(`${product.origin}/`);
    await Promise.all([
      page.waitForURL(`${product.redirectUri}?**`),
      page.getByRole("button", { name: "Sign in with Hub" }).click(),
    ]);
    await page.waitForFunction(() => document.title === "Signed in");
    await page.context().close();
  });
});
