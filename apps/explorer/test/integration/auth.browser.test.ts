import { type Browser, launchBrowser, type Page } from "@kubernaut/testing/browser";
import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededTrails, seedTrails } from "../support/trail.js";

const TOKEN = "explorer-browser-token";

let storage: StorageService;
let browser: Browser;
let page: Page;
let trails: SeededTrails;

beforeAll(async () => {
  storage = await startStorageService({
    databaseUrl: process.env.TEST_DATABASE_URL,
    env: { AUTH_MODE: "token", AUTH_TOKEN: TOKEN },
  });
  trails = await seedTrails(storage.url, { token: TOKEN, filler: 2 });
  browser = await launchBrowser("auth");
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await storage?.stop();
});

describe("the explorer with AUTH_MODE=token", () => {
  it("asks for a token on 401, refuses a wrong one, and keeps a right one for the tab's session", async () => {
    await page.goto(`${storage.url}/ui/`);
    const form = page.locator("form.auth");
    await form.getByText("The service needs a bearer token").waitFor();
    await browser.screenshot("token-asked");

    await page.getByLabel("Token").fill("not-the-token");
    await page.keyboard.press("Enter");
    await form.getByText("The service refused the token of this tab").waitFor();

    await page.getByLabel("Token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    const first = page.locator("table.results tbody tr").first();
    await first.waitFor();
    expect(await first.getAttribute("data-remediation")).toBe(trails.happy.name);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([TOKEN]);
    // "Forget token" is offered as soon as the token is kept, not only after the next navigation.
    expect(await page.getByRole("button", { name: "Forget token" }).isVisible()).toBe(true);

    // Another view, and a reload, use the kept token without asking.
    await page.goto(
      `${storage.url}/ui/#/incident/${trails.happy.fingerprint}?remediation=${trails.happy.name}`,
    );
    await page.locator(".record-detail").waitFor();
    await page.reload();
    await page.locator(".record-detail").waitFor();

    await page.getByRole("button", { name: "Forget token" }).click();
    await form.getByText("The service needs a bearer token").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.getByRole("button", { name: "Forget token" }).isVisible()).toBe(false);
  });

  it("asks once for the whole analytics view, and draws every chart after signing in", async () => {
    await page.goto(`${storage.url}/ui/#/analytics`);
    const form = page.locator("form.auth");
    await form.first().waitFor();
    // Every card's request has been refused by now; still one form, and no id twice on the page.
    await page.waitForLoadState("networkidle");
    expect(await form.count()).toBe(1);
    const ids = await page.evaluate(() => [...document.querySelectorAll("[id]")].map((el) => el.id));
    expect(new Set(ids).size).toBe(ids.length);
    await browser.screenshot("analytics-token-asked");

    await page.getByLabel("Token").fill(TOKEN);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("article.card").count()).toBe(10);
    await expect.poll(() => page.locator(".chart-body .loading").count()).toBe(0);
    expect(await form.count()).toBe(0);
    expect(
      await page.locator('[data-chart="orchestration-success-rate"] svg rect.bar').count(),
    ).toBeGreaterThan(0);
    expect(await page.getByRole("button", { name: "Forget token" }).isVisible()).toBe(true);
  });
});
