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

    await page.locator("input#token").fill("not-the-token");
    await page.keyboard.press("Enter");
    await form.getByText("The service refused the token of this tab").waitFor();

    await page.locator("input#token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    const first = page.locator("table.results tbody tr").first();
    await first.waitFor();
    expect(await first.getAttribute("data-remediation")).toBe(trails.happy.name);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([TOKEN]);

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
  });
});
