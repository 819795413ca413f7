import { readFile } from "node:fs/promises";
import { type Browser, launchBrowser, type Page } from "@kubernaut/testing/browser";
import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededTrails, seedTrails } from "../support/trail.js";

let storage: StorageService;
let browser: Browser;
let page: Page;
let trails: SeededTrails;

beforeAll(async () => {
  storage = await startStorageService({
    databaseUrl: process.env.TEST_DATABASE_URL,
    env: { CHECKPOINT_INTERVAL: "1s" },
  });
  trails = await seedTrails(storage.url);
  browser = await launchBrowser("views");
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await storage?.stop();
});

const rows = () => page.locator("table.results tbody tr");
const remediationNames = () =>
  rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-remediation")));

/** The page never needs a horizontal scrollbar at this width. */
async function expectNoHorizontalScroll(): Promise<void> {
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
}

describe("the explorer in Chromium against the storage service", () => {
  it("opens on the search view, newest remediation first, with status, duration and top recommendation", async () => {
    await page.goto(`${storage.url}/ui/`);
    const first = rows().first();
    await first.waitFor();
    expect(await first.getAttribute("data-remediation")).toBe(trails.happy.name);
    await page
      .locator(`tr[data-remediation="${trails.happy.name}"] td.recommendation`, {
        hasText: "increase-memory-limit",
      })
      .waitFor();
    const cells = await first.locator("td").allInnerTexts();
    expect(cells[1]).toBe("completed");
    expect(cells[4]).toBe("20.0s");
    expect(await rows().count()).toBe(25);
    await expectNoHorizontalScroll();
    await browser.screenshot("search-1280");
  });

  it("filters by phase, environment, signal, namespace, fingerprint, source and failure reason; the URL restores the filtered view", async () => {
    await page.locator("input[name=status]").fill("failed");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForFunction(() => location.hash.includes("status=failed"));
    await expect.poll(remediationNames).toEqual([trails.failed.name]);
    const failedRow = await rows().first().locator("td").allInnerTexts();
    expect(failedRow[1]).toContain("failed");
    expect(failedRow[6]).toContain("the model did not answer");

    const shared = page.url();
    await page.goto("about:blank");
    await page.goto(shared);
    await expect.poll(remediationNames).toEqual([trails.failed.name]);
    expect(await page.locator("input[name=status]").inputValue()).toBe("failed");

    await page.goto(`${storage.url}/ui/#/search?environment=production`);
    await expect.poll(remediationNames).toEqual([trails.happy.name, trails.old.name]);
    await page.goto(`${storage.url}/ui/#/search?fingerprint=${trails.failed.fingerprint}`);
    await expect.poll(remediationNames).toEqual([trails.failed.name]);

    await page.goto(`${storage.url}/ui/#/search?source=processor&status=completed&environment=staging`);
    await expect.poll(remediationNames).toEqual([trails.failed.name]);

    await page.goto(`${storage.url}/ui/#/search`);
    await page.locator("input[name=reason]").fill("MODEL did not answer");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => location.hash.includes("reason=MODEL"));
    await expect.poll(remediationNames).toEqual([trails.failed.name]);

    await page.goto(`${storage.url}/ui/#/search`);
    await page.locator("input[name=signal]").fill("PodOOMKilled");
    await page.locator("input[name=namespace]").fill("api");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForFunction(() => location.hash.includes("signal=PodOOMKilled"));
    expect(page.url()).toContain("namespace=api");
    await expect.poll(remediationNames).toEqual([trails.happy.name, trails.old.name]);
    await page.goto(`${storage.url}/ui/#/search?signal=NodeDiskPressure`);
    await expect.poll(remediationNames).toEqual([trails.failed.name]);
    await page.goto(`${storage.url}/ui/#/search?source=ai-analysis&namespace=api`);
    await expect.poll(() => rows().evaluateAll((trs) => trs.length)).toBe(2);

    await page.goto(`${storage.url}/ui/#/search?fingerprint=no-such-alert`);
    await page.getByText("Nothing found.").waitFor();
  });

  it("pages with the API's cursors, forward and back, with every remediation exactly once", async () => {
    await page.goto(`${storage.url}/ui/#/search`);
    await rows().first().waitFor();
    const firstPage = await remediationNames();
    await page.getByRole("link", { name: "Older →" }).click();
    await page.getByText("Page 2").waitFor();
    const secondPage = await remediationNames();
    expect(new Set([...firstPage, ...secondPage]).size).toBe(trails.total);
    expect(await page.getByRole("link", { name: "Older →" }).count()).toBe(0);
    await page.getByRole("link", { name: "← Newer" }).click();
    await page.getByText("Page 1").waitFor();
    await expect.poll(remediationNames).toEqual(firstPage);
  });

  it("follows a remediation from search to its incident timeline and a record's diff, by keyboard", async () => {
    await page.goto(`${storage.url}/ui/#/search`);
    const link = page.getByRole("link", { name: trails.happy.name, exact: true });
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => location.hash.startsWith("#/incident/"));
    await page.locator(".swimlanes").waitFor();
    const counts = await page
      .locator(".lane")
      .evaluateAll((lanes) =>
        Object.fromEntries(
          lanes.map((l) => [l.getAttribute("data-lane"), l.querySelectorAll(".mark").length]),
        ),
      );
    // 5 orchestrator phases, 1 processor record, 4 AI triggers; the workflow: created, running, completed.
    expect(counts).toEqual({ orchestrator: 5, processor: 1, "ai-analysis": 4, workflow: 3 });
    expect(await page.locator(".record-list li").count()).toBe(trails.happy.records);

    await page.locator('.lane[data-lane="orchestrator"] .mark', { hasText: "analyzing" }).click();
    await page.waitForFunction(() => location.hash.includes("record="));
    const detail = page.locator(".record-detail");
    await detail.getByText("Changes since remediation-orchestration.processing").waitFor();
    const changed = await detail
      .locator("table.diff tr[data-path]")
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute("data-path"), tr.className]));
    expect(changed).toEqual(
      expect.arrayContaining([
        ["overall_phase", "diff-changed"],
        ["ai_analysis_name", "diff-added"],
        ["service_crd_statuses.remediationProcessing.phase", "diff-changed"],
        ["service_crd_statuses.aiAnalysis", "diff-added"],
      ]),
    );
    const overall = await detail.locator('tr[data-path="overall_phase"] pre').allInnerTexts();
    expect(overall).toEqual(['"processing"', '"analyzing"']);
    const raw = JSON.parse((await detail.locator("pre.raw-json").textContent()) ?? "") as {
      event_type: string;
      payload: { overall_phase: string };
    };
    expect(raw.event_type).toBe("remediation-orchestration.analyzing");
    expect(raw.payload.overall_phase).toBe("analyzing");

    // The record list is the keyboard path to every mark.
    await page.locator(".record-list button", { hasText: "ai-analysis.analysis_complete" }).focus();
    await page.keyboard.press("Enter");
    await detail.getByText("Changes since ai-analysis.investigation_complete").waitFor();

    // The link restores the open record.
    const shared = page.url();
    await page.goto("about:blank");
    await page.goto(shared);
    await page.locator(".record-detail h2", { hasText: "ai-analysis.analysis_complete" }).waitFor();

    const similar = page.locator(".similar li", { hasText: trails.old.name });
    await similar.waitFor();
    expect(await similar.locator(".badge").textContent()).toBe("completed");
    // Verified against the tamper-evident log (sealed every second here: re-checked until it is).
    const verified = page.locator('[data-verify="verified"]');
    await expect
      .poll(
        async () => {
          if ((await verified.count()) > 0) return true;
          const recheck = page.getByRole("button", { name: "Re-check" });
          if ((await recheck.count()) > 0) await recheck.click();
          return false;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    expect(await verified.textContent()).toMatch(/^Verified against checkpoint \d+$/);
    await browser.screenshot("incident-1280");

    // Its verified export: every record of the remediation with its proof, then the checkpoint and manifest.
    const [exported] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download verified export" }).click(),
    ]);
    expect(exported.suggestedFilename()).toBe(`${trails.happy.name}.audit-export.ndjson`);
    const lines = (await readFile((await exported.path())!, "utf8")).trim().split("\n");
    const trailer = JSON.parse(lines.at(-1)!) as { checkpoint: string; manifest: string };
    expect(trailer.manifest).toMatch(
      new RegExp(
        `^kubernaut-audit/export/v1\n[^]*\nquery correlation_id=${trails.happy.name}&format=ndjson\n`,
      ),
    );
    expect(trailer.manifest).toContain(`\nrecords ${trails.happy.records}\n`);
    expect(lines).toHaveLength(trails.happy.records + 1);
  });

  it("shows a failed remediation's failure and duplicates where they happened", async () => {
    await page.goto(
      `${storage.url}/ui/#/incident/${trails.failed.fingerprint}?remediation=${trails.failed.name}`,
    );
    await page.locator(".swimlanes").waitFor();
    expect(await page.locator(".summary .flag-failure dd").textContent()).toContain(
      "analyzing: AI analysis failed",
    );
    expect(await page.locator(".summary .flag-duplicate dd").textContent()).toMatch(/^2 /);
    const flagged = await page
      .locator(".mark.mark-failure, .mark.mark-duplicate")
      .evaluateAll((marks) =>
        marks.map(
          (m) =>
            `${m.closest(".lane")?.getAttribute("data-lane")}:${m.textContent}:${[...m.classList].filter((c) => c.startsWith("mark-")).join(" ")}`,
        ),
      );
    expect(flagged).toEqual(
      expect.arrayContaining([
        "orchestrator:processing:mark-duplicate",
        "orchestrator:failed:mark-failure",
        "ai-analysis:analysis_failed:mark-failure",
      ]),
    );
    await browser.screenshot("incident-failed-1280");
  });

  it("draws the ten analytics, keeps each window in the URL, and downloads the CSV the API serves", async () => {
    await page.goto(`${storage.url}/ui/#/analytics`);
    await expect.poll(() => page.locator("article.card").count()).toBe(10);
    const success = page.locator('[data-chart="orchestration-success-rate"]');
    await success.locator("svg rect.bar").first().waitFor();
    await page.locator('[data-chart="slowest-orchestrations"] svg rect.bar').first().waitFor();

    await success.locator("select").selectOption("30d");
    await page.waitForFunction(() => location.hash === "#/analytics?orchestration-success-rate=30d");
    await success.locator("svg rect.bar").first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      success.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("orchestration-success-rate-30d.csv");
    const csv = await readFile((await download.path())!, "utf8");
    const api = await fetch(`${storage.url}/api/v1/analytics/orchestration-success-rate?window=30d`, {
      headers: { accept: "text/csv" },
    });
    expect(csv).toBe(await api.text());
    expect(csv.split("\r\n")[0]).toBe("overall_phase,total,successful,failed,success_rate_pct");
    // What the chart shows is what the CSV holds: one bar group per row.
    const labels = await success
      .locator("text.chart-label")
      .evaluateAll((texts) => texts.map((t) => t.textContent));
    expect(labels).toEqual(
      csv
        .trim()
        .split("\r\n")
        .slice(1)
        .map((line) => line.split(",")[0]),
    );
    await browser.screenshot("analytics-1280");
  });

  it("is readable at 390 px", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${storage.url}/ui/#/search`);
    await rows().first().waitFor();
    await browser.screenshot("search-390");
    await expectNoHorizontalScroll();
    await page.goto(
      `${storage.url}/ui/#/incident/${trails.happy.fingerprint}?remediation=${trails.happy.name}`,
    );
    await page.locator(".record-detail").waitFor();
    await browser.screenshot("incident-390");
    await expectNoHorizontalScroll();
    await page.goto(`${storage.url}/ui/#/analytics`);
    await page.locator('[data-chart="orchestration-success-rate"] svg').waitFor();
    await browser.screenshot("analytics-390");
    await expectNoHorizontalScroll();
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("says so when the storage service is down, and recovers with Retry", async () => {
    await page.goto(`${storage.url}/ui/#/search`);
    await rows().first().waitFor();
    await storage.kill();
    await page.getByRole("link", { name: "Analytics" }).click();
    await page.getByRole("link", { name: "Search", exact: true }).click();
    // The click returns before the hashchange renders; until then the analytics view shows one failure per chart.
    const results = page.getByRole("region", { name: "Results" });
    await results.getByRole("heading", { name: "Storage service unreachable" }).waitFor();
    await browser.screenshot("storage-down");
    await storage.restart();
    await page.getByRole("button", { name: "Retry" }).click();
    await rows().first().waitFor();
  });
});
