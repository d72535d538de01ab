// A real browser at a phone's size: open the emailed decision link, read the page, press Approve, see it confirmed.
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevHost } from "../../devhost/host";
import type { Outbox } from "../../devhost/outbox/outbox";
import { closeBrowser, launchBrowser, phonePage, pngSize, screenshotPath } from "../support/browser";
import { bootDevHost } from "../support/devhost";
import type { FakeProduct } from "../support/fake-product";
import { startFakeProduct } from "../support/fake-product";
import { accessToken, createOrg, login } from "../support/identity";
import {
  fakePsaSettings,
  validatePsaKeys,
  busOf,
  createAgent,
  userCreatedEvent,
  waitForAgentExecutions,
  waitForExecutions,
} from "../support/executions";

describe("approving from the emailed link in a phone browser", () => {
  let host: DevHost;
  let psa: FakeProduct;
  let browser: Browser;
  beforeAll(async () => {
    psa = await startFakeProduct();
    host = await bootDevHost({ settings: fakePsaSettings(psa) });
    validatePsaKeys(psa, host);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await closeBrowser(browser);
    await host.stop();
    await psa.close();
  });

  it("shows the request, approves with a note, and the execution goes on", async () => {
    const org = await createOrg(host);
    const token = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    const agent = await createAgent(host, token, {
      name: "New staff setup",
      trigger: {
        event_type: "hub.iam.user_created",
        filter: [{ path: "lastName", op: "eq", value: "Browser" }],
      },
      steps: [
        {
          id: "ask",
          type: "approval_gate",
          approvers: [{ email: "lead@example.com" }],
          message:
            "Open a ticket to set up {{trigger.data.firstName}} {{trigger.data.lastName}}'s laptop and accounts?",
        },
        {
          id: "ticket",
          type: "product_action",
          product: "psa",
          action: "create_ticket",
          params: { title: "Set up {{trigger.data.firstName}}" },
        },
      ],
    });
    busOf(host).publish("the-one-bus", userCreatedEvent(org.orgId, "Browser"));
    await waitForAgentExecutions(
      host,
      token,
      agent.id,
      (list) => list[0]?.status === "waiting_for_approval",
      "the gate should be waiting",
    );
    const link = (host.services.outbox as Outbox).list({ to: "lead@example.com" })[0]?.links[0];
    expect(link).toMatch(/\/api\/approvals\//);

    const page = await phonePage(browser);
    const response = await page.goto(link!);
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe("Approval needed: New staff setup");
    const text = await page.locator("main").innerText();
    expect(text).toContain("Open a ticket to set up Ada Browser's laptop and accounts?");
    expect(text).toContain("hub.iam.user_created");
    const layout = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(layout.viewport).toBe(375);
    expect(layout.scroll).toBeLessThanOrEqual(375);
    const approve = page.getByRole("button", { name: "Approve" });
    const box = await approve.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    const reviewShot = screenshotPath("approval-page-phone");
    await page.screenshot({ path: reviewShot, fullPage: true });
    expect(pngSize(reviewShot).width).toBe(750);

    await page.getByLabel("Note (optional)").fill("Approved from my phone");
    await Promise.all([page.waitForURL(link!), approve.click()]);
    await expect(page.locator("h1").innerText()).resolves.toBe("Approved");
    const confirmShot = screenshotPath("approval-confirmed-phone");
    await page.screenshot({ path: confirmShot, fullPage: true });
    expect(existsSync(confirmShot)).toBe(true);
    await page.context().close();

    const [execution] = await waitForExecutions(host, token, agent.id, 1);
    expect(execution).toMatchObject({ status: "succeeded" });
    expect(execution!.steps[0]).toMatchObject({
      decided_by: "email:lead@example.com",
      decision_note: "Approved from my phone",
    });
    expect(execution!.steps[1]).toMatchObject({ step_id: "ticket", status: "succeeded" });
    expect((await fetch(link!)).status).toBe(410);
  });

  it("shows a quorum's progress, 1 of 2 approved, at phone size", async () => {
    const org = await createOrg(host);
    const token = await accessToken(host, await login(host, org.owner.email, org.owner.password), "agents");
    const agent = await createAgent(host, token, {
      name: "Two keys",
      trigger: {
        event_type: "hub.iam.user_created",
        filter: [{ path: "lastName", op: "eq", value: "Quorum" }],
      },
      steps: [
        {
          id: "ask",
          type: "approval_gate",
          approvers: [{ email: "first@example.com" }, { email: "second@example.com" }],
          required_approvals: 2,
          message: "Give {{trigger.data.firstName}} {{trigger.data.lastName}} a laptop?",
        },
      ],
    });
    busOf(host).publish("the-one-bus", userCreatedEvent(org.orgId, "Quorum"));
    await waitForAgentExecutions(
      host,
      token,
      agent.id,
      (list) => list[0]?.status === "waiting_for_approval",
      "the gate should be waiting",
    );
    const linkOf = async (to: string) => {
      const link = (host.services.outbox as Outbox).list({ to })[0]?.links[0];
      if (!link) throw new Error(`no link for ${to}`);
      return link;
    };
    const first = await fetch(await linkOf("first@example.com"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "decision=approve",
    });
    expect(first.status).toBe(200);

    const link = await linkOf("second@example.com");
    const page = await phonePage(browser);
    expect((await page.goto(link))?.status()).toBe(200);
    const text = await page.locator("main").innerText();
    expect(text).toContain("1 of 2 approved");
    const layout = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(layout.viewport).toBe(375);
    expect(layout.scroll).toBeLessThanOrEqual(375);
    const shot = screenshotPath("approval-quorum-phone");
    await page.screenshot({ path: shot, fullPage: true });
    expect(pngSize(shot).width).toBe(750);

    await Promise.all([page.waitForURL(link), page.getByRole("button", { name: "Approve" }).click()]);
    await expect(page.locator("h1").innerText()).resolves.toBe("Approved");
    await page.context().close();
    const [execution] = await waitForExecutions(host, token, agent.id, 1);
    expect(execution!.steps[0]).toMatchObject({ status: "succeeded", approvals: 2, required_approvals: 2 });
  });
});
