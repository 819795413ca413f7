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

/** The list request of the remediations (orchestrator) page, to answer it from the test. */
const remediationList = (url: URL) => url.pathname.endsWith("/api/v1/audit/remediation-orchestration");

/** What has focus, as `TAG:text`. */
const focused = () =>
  page.evaluate(() => `${document.activeElement?.tagName}:${document.activeElement?.textContent}`);

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
    await expect.poll(remediationNames).toEqual([trails.failed.name, trails.retried.older]);
    const failedRow = await rows().first().locator("td").allInnerTexts();
    expect(failedRow[1]).toContain("failed");
    expect(failedRow[6]).toContain("the model did not answer");

    const shared = page.url();
    await page.goto("about:blank");
    await page.goto(shared);
    await expect.poll(remediationNames).toEqual([trails.failed.name, trails.retried.older]);
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

  it("names the chosen source in the heading", async () => {
    for (const [source, heading] of [
      ["processor", "Alert processing"],
      ["ai-analysis", "AI analyses"],
      ["orchestrator", "Remediations"],
    ]) {
      await page.goto(`${storage.url}/ui/#/search?source=${source}`);
      await expect.poll(() => page.locator("h1").allInnerTexts()).toEqual([heading]);
      await rows().first().waitFor();
    }
  });

  it("says no records are stored yet when there are none, and speaks of filters only when some are set", async () => {
    await page.route(remediationList, (route) => route.fulfill({ json: { items: [], next_cursor: null } }));
    try {
      await page.goto(`${storage.url}/ui/#/search?fingerprint=x`);
      const state = page.locator(".results-area .state.empty");
      await state.getByText("Nothing found.").waitFor();
      expect(await state.textContent()).toContain("clear a filter");
      await page.goto(`${storage.url}/ui/#/search`);
      await state.getByText("No remediation records yet.").waitFor();
      expect(await state.textContent()).toContain("Records arrive as the Kubernaut controllers");
      expect(await state.textContent()).not.toContain("filter");
      await browser.screenshot("search-empty");
    } finally {
      await page.unroute(remediationList);
    }
  });

  it("spaces the buttons of the forbidden (403) state", async () => {
    await page.route(remediationList, (route) =>
      route.fulfill({
        status: 403,
        contentType: "application/problem+json",
        body: JSON.stringify({
          title: "Forbidden",
          status: 403,
          detail: "may not get services/data-storage",
        }),
      }),
    );
    try {
      await page.goto(`${storage.url}/ui/#/search?status=forbidden`);
      const box = page.locator(".state.error", { hasText: "Not allowed" });
      await box.waitFor();
      const [first, second] = await box
        .getByRole("button")
        .evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().toJSON() as DOMRect));
      expect(Math.max(second!.left - first!.right, second!.top - first!.bottom)).toBeGreaterThanOrEqual(6);
      await browser.screenshot("forbidden");
    } finally {
      await page.unroute(remediationList);
    }
  });

  it("has a favicon in the page, so the browser asks for no file, and /ui/favicon.ico for whoever asks", async () => {
    const failed: string[] = [];
    const listen = (response: { status(): number; url(): string }) => {
      if (response.status() >= 400) failed.push(response.url());
    };
    page.on("response", listen);
    await page.goto("about:blank");
    await page.goto(`${storage.url}/ui/`);
    await rows().first().waitFor();
    page.off("response", listen);
    expect(failed).toEqual([]);
    expect(await page.locator('link[rel="icon"]').getAttribute("href")).toMatch(/^data:image\/svg\+xml,/);
    const ico = await fetch(`${storage.url}/ui/favicon.ico`);
    expect(ico.status).toBe(200);
    expect(ico.headers.get("content-type")).toMatch(/^image\//);
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

  it("offers the verified export only once the records are sealed, and keeps focus on Re-check", async () => {
    const verify = (url: URL) => url.pathname.endsWith("/api/v1/audit/verify");
    // The service's answer, with one record waiting for its seal.
    const pending = (await (
      await fetch(`${storage.url}/api/v1/audit/verify?correlation_id=${trails.happy.name}`)
    ).json()) as { problems: unknown[]; verified: boolean };
    pending.verified = false;
    pending.problems = [
      {
        event_id: "00000000-0000-4000-8000-000000000000",
        leaf_index: null,
        problem: "not_sealed",
        detail: "waiting",
      },
    ];
    await page.route(verify, (route) => route.fulfill({ json: pending }));
    try {
      await page.goto(
        `${storage.url}/ui/#/incident/${trails.happy.fingerprint}?remediation=${trails.happy.name}`,
      );
      await page.locator('[data-verify="pending"]').waitFor();
      const exportButton = page.getByRole("button", { name: "Download verified export" });
      expect(await exportButton.isDisabled()).toBe(true);
      expect(await exportButton.getAttribute("aria-describedby")).toBe("export-reason");
      expect(await page.locator("#export-reason").textContent()).toContain("once every record is sealed");
      // The badge is in a polite live region, so that a re-check's answer is announced.
      const live = page.locator('.verify-status[aria-live="polite"]');
      expect(await live.locator("[data-verify]").count()).toBe(1);
      await browser.screenshot("verify-pending");

      // Re-checked by keyboard while still pending: focus stays on Re-check.
      await page.getByRole("button", { name: "Re-check" }).focus();
      await page.keyboard.press("Enter");
      await expect.poll(focused).toBe("BUTTON:Re-check");
    } finally {
      await page.unroute(verify);
    }
    // Sealed (every second here): Re-check until it says so; focus then goes to the badge.
    await expect
      .poll(
        async () => {
          if ((await page.locator('[data-verify="verified"]').count()) > 0) return true;
          expect(await focused()).toBe("BUTTON:Re-check");
          await page.keyboard.press("Enter");
          return false;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-verify")))
      .toBe("verified");
    expect(await page.getByRole("button", { name: "Download verified export" }).isDisabled()).toBe(false);
    expect(await page.locator("#export-reason").count()).toBe(0);
  });

  it("never lets a timeline label run into the next mark", async () => {
    try {
      for (const width of [1280, 800]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(
          `${storage.url}/ui/#/incident/${trails.happy.fingerprint}?remediation=${trails.happy.name}`,
        );
        await page.locator(".record-detail").waitFor();
        const collisions = await page.locator(".lane").evaluateAll((lanes) =>
          lanes.flatMap((lane) => {
            const marks = [...lane.querySelectorAll<HTMLElement>(".mark")];
            const boxes = marks.map((m) => ({
              mark: m.getBoundingClientRect(),
              label: m.querySelector(".mark-label")!.getBoundingClientRect(),
              text: m.querySelector(".mark-label")!.textContent,
            }));
            const hit = (a: DOMRect, b: DOMRect) =>
              a.width > 0 &&
              b.width > 0 &&
              a.left < b.right &&
              b.left < a.right &&
              a.top < b.bottom &&
              b.top < a.bottom;
            return boxes.flatMap((a, i) =>
              boxes
                .filter((b, j) => i !== j && (hit(a.label, b.label) || hit(a.label, b.mark)))
                .map((b) => `${a.text} × ${b.text}`),
            );
          }),
        );
        expect(collisions).toEqual([]);
        // A label cut short is whole in its mark's title.
        const title = await page
          .locator(".mark", { hasText: "investigation_complete" })
          .getAttribute("title");
        expect(title).toMatch(/^investigation_complete at /);
        await browser.screenshot(`timeline-labels-${width}`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it("gives a timed-out remediation its duration, its reason line by line, and says timeout once", async () => {
    const { timedOut } = trails;
    await page.goto(`${storage.url}/ui/#/search?status=timeout`);
    await expect.poll(remediationNames).toEqual([timedOut.name]);
    // 630 s from its start to its timeout.
    expect((await rows().first().locator("td").allInnerTexts())[4]).toBe("10m 30s");

    await page.goto(`${storage.url}/ui/#/incident/${timedOut.fingerprint}?remediation=${timedOut.name}`);
    await page.locator(".record-detail").waitFor();
    const item = (term: string) =>
      page.locator(".summary .item", { has: page.locator("dt", { hasText: term }) }).locator("dd");
    expect(await item("Duration").textContent()).toBe("10m 30s");
    const reason = page.locator(".summary .flag-failure .failure-text");
    expect(await reason.textContent()).toBe(timedOut.reason);
    expect(await reason.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe("pre-line");
    // Six lines, clamped to four until "Show all".
    const lines = () =>
      reason.evaluate((el) =>
        Math.round(el.clientHeight / Number.parseFloat(getComputedStyle(el).lineHeight)),
      );
    expect(await lines()).toBe(4);
    await browser.screenshot("incident-timeout-1280");
    await page.getByRole("button", { name: "Show all" }).click();
    expect(await lines()).toBe(6);
    expect(await page.getByRole("button", { name: "Show less" }).getAttribute("aria-expanded")).toBe("true");

    const timeoutMark = page.locator('.lane[data-lane="orchestrator"] .mark.mark-timeout');
    expect(await timeoutMark.getAttribute("aria-label")).toBe("Orchestrator: timeout");
  });

  it("shows only close matches among similar investigations", async () => {
    const search = page.waitForRequest((r) => r.url().endsWith("/api/v1/embeddings/investigations/search"));
    await page.goto(
      `${storage.url}/ui/#/incident/${trails.failed.fingerprint}?remediation=${trails.failed.name}`,
    );
    expect((await search).postDataJSON()).toMatchObject({ min_similarity: 0.5 });
    await page.locator(".similar-area").getByText("No close match.").waitFor();
    expect(await page.locator(".similar li").count()).toBe(0);
  });

  it("shows a legal hold on the alert in the incident", async () => {
    const response = await fetch(`${storage.url}/api/v1/audit/legal-holds`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        alert_fingerprint: trails.old.fingerprint,
        reason: "incident review INC-4711",
        requested_by: "legal@example.com",
      }),
    });
    expect(response.status).toBe(201);
    await page.goto(`${storage.url}/ui/#/incident/${trails.old.fingerprint}?remediation=${trails.old.name}`);
    await page.locator(".record-detail").waitFor();
    const note = await page.locator(".summary .flag-hold dd").textContent();
    expect(note).toMatch(/^Held, placed .* by legal@example\.com: incident review INC-4711$/);
    // Placed long after the remediation's records: listed, but kept off the lanes so the timeline keeps its scale.
    expect(await page.locator(".mark.mark-hold").count()).toBe(0);
    expect(await page.locator(".record-list button", { hasText: "legal-hold.placed" }).count()).toBe(1);
    await browser.screenshot("incident-legal-hold");
  });

  it("says which filter of a link the service refuses, and offers to clear it", async () => {
    await page.goto(`${storage.url}/ui/#/search?since=yesterday`);
    const refused = page.locator(".results-area .state.error");
    await refused.waitFor();
    expect(await refused.textContent()).toContain("since=yesterday");
    expect(await refused.getByRole("button", { name: "Retry" }).count()).toBe(0);
    await browser.screenshot("search-refused-filter");
    await refused.getByRole("link", { name: "Clear filters" }).click();
    await rows().first().waitFor();
    expect(await page.evaluate(() => location.hash)).toBe("#/search");

    await page.goto(`${storage.url}/ui/#/search?cursor=garbage`);
    await refused.waitFor();
    expect(await refused.textContent()).toContain("cursor=garbage");
    await refused.getByRole("link", { name: "First page" }).click();
    await rows().first().waitFor();
    expect(await page.getByText("Page 1").count()).toBe(1);
  });

  it("keeps a linked time to the second when the search is submitted again", async () => {
    const since = "2026-01-01T23:00:30.5Z";
    await page.goto(`${storage.url}/ui/#/search?since=${since}`);
    await rows().first().waitFor();
    expect(await page.locator("input[name=since]").inputValue()).toMatch(/:30\.5(00)?$/);
    await page.locator("input[name=environment]").fill("production");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForFunction(() => location.hash.includes("environment=production"));
    expect(await page.evaluate(() => decodeURIComponent(location.hash))).toContain(`since=${since}`);
  });

  it("comes back from an incident to the same place in the list, with focus on the row left", async () => {
    await page.setViewportSize({ width: 1280, height: 600 });
    try {
      await page.goto(`${storage.url}/ui/#/search`);
      await rows().first().waitFor();
      const link = rows().nth(20).locator("a.incident-link");
      const href = await link.getAttribute("href");
      await link.focus();
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(100);
      const top = () => link.evaluate((a) => Math.round(a.getBoundingClientRect().top));
      const where = await top();
      await page.keyboard.press("Enter");
      await page.locator(".record-detail").waitFor();
      await page.goBack();
      await rows().first().waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("href"))).toBe(href);
      // The row is where it was on the screen (the list scrolled back to it).
      await expect.poll(async () => Math.abs((await top()) - where) <= 2).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it("says an unknown alert has no records, and names the incident in the tab's title", async () => {
    await page.goto(`${storage.url}/ui/#/incident/does-not-exist`);
    await page.getByText("No audit record of this alert is stored.").waitFor();
    expect(await page.title()).toContain("does-not-exist");
    await page.goto(`${storage.url}/ui/#/incident/${trails.happy.fingerprint}`);
    await page.locator(".record-detail").waitFor();
    expect(await page.title()).toBe(`Incident ${trails.happy.name} · Kubernaut Audit`);
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

  it("opens an alert's newest remediation when the link names none, keeps it in the URL, and lists the others", async () => {
    const { fingerprint, newer, older, newerRecords } = trails.retried;
    await page.goto(`${storage.url}/ui/#/incident/${fingerprint}`);
    await page.locator(".swimlanes").waitFor();
    expect(await page.locator("h1").textContent()).toBe(`Incident ${newer}`);
    expect(await page.evaluate(() => location.hash)).toMatch(
      new RegExp(`^#/incident/${fingerprint}\\?remediation=${newer}(&record=[^&]+)?$`),
    );
    // Only this remediation's records; the failed one before it is a link.
    expect(await page.locator(".record-list li").count()).toBe(newerRecords);
    expect(await page.locator(".summary .badge").textContent()).toBe("executing");
    expect(await page.locator(".attempts a").allInnerTexts()).toEqual([older]);
    await browser.screenshot("incident-newest-1280");
    await page.locator(".attempts a").click();
    await page.waitForFunction((name) => location.hash.includes(`remediation=${name}`), older);
    await page.locator(".summary .badge", { hasText: "failed" }).waitFor();
    expect(await page.locator(".record-list li").count()).toBe(2);
  });

  it("never lets a slow incident load replace the view the user moved to, nor rewrite its URL", async () => {
    await page.goto(`${storage.url}/ui/#/search`);
    await rows().first().waitFor();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const timelineRequest = "**/api/v1/audit/timeline/**";
    await page.route(timelineRequest, async (route) => {
      await held;
      await route.continue();
    });
    try {
      const answered = page.waitForResponse((r) => r.url().includes("/api/v1/audit/timeline/"));
      await page.goto(`${storage.url}/ui/#/incident/${trails.retried.fingerprint}`);
      await page.getByText("Loading the timeline…").waitFor();
      await page.getByRole("link", { name: "Analytics" }).click();
      await page.getByRole("heading", { level: 1, name: "Analytics" }).waitFor();
      release();
      await answered;
      // The incident's other requests answered long before; its drawing would follow within a few ms.
      await page.waitForTimeout(500);
      expect(page.url()).toBe(`${storage.url}/ui/#/analytics`);
      expect(await page.locator("h1").allInnerTexts()).toEqual(["Analytics"]);
      expect(await page.locator(".swimlanes").count()).toBe(0);
      expect(await page.locator("article.card").count()).toBe(10);
    } finally {
      await page.unroute(timelineRequest);
    }
  });

  it("moves focus to the new view's heading after a navigation, and keeps it there while the view loads", async () => {
    await page.goto(`${storage.url}/ui/#/search`);
    await rows().first().waitFor();
    await page.getByRole("link", { name: trails.happy.name, exact: true }).click();
    await page.locator(".record-detail").waitFor();
    expect(await focused()).toBe(`H1:Incident ${trails.happy.name}`);
    await page.getByRole("link", { name: "Analytics" }).click();
    await expect.poll(focused).toBe("H1:Analytics");
    await page.goBack();
    await page.locator(".record-detail").waitFor();
    expect(await focused()).toBe(`H1:Incident ${trails.happy.name}`);
    // Tab goes on from the heading into the view, not back to the top of the page.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.querySelector("#view")?.contains(document.activeElement))).toBe(
      true,
    );
  });

  it("skips to the content without changing the route", async () => {
    await page.goto("about:blank");
    await page.goto(
      `${storage.url}/ui/#/incident/${trails.happy.fingerprint}?remediation=${trails.happy.name}`,
    );
    await page.locator(".record-detail").waitFor();
    const url = page.url();
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("A:Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("view");
    await page.waitForTimeout(200);
    expect(page.url()).toBe(url);
    expect(await page.locator("h1").allInnerTexts()).toEqual([`Incident ${trails.happy.name}`]);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.querySelector("#view")?.contains(document.activeElement))).toBe(
      true,
    );
  });

  it("keeps a long fingerprint, failure reason and timeline label inside their boxes at every width", async () => {
    const outside = () =>
      page.evaluate(() => {
        const inside = (el: Element, box: Element | null) =>
          box !== null && el.getBoundingClientRect().right <= box.getBoundingClientRect().right + 0.5;
        const summary = document.querySelector(".summary");
        const lanes = document.querySelector(".swimlanes");
        return [
          ...[...document.querySelectorAll(".summary dd")].filter(
            (dd) => !inside(dd, summary) || dd.scrollWidth > dd.clientWidth,
          ),
          // Labels hidden on a narrow screen have no box.
          ...[...document.querySelectorAll(".mark-label")].filter(
            (label) => label.getClientRects().length > 0 && !inside(label, lanes),
          ),
        ].map((el) => el.textContent);
      });
    try {
      for (const width of [1280, 800, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(
          `${storage.url}/ui/#/incident/${trails.failed.fingerprint}?remediation=${trails.failed.name}`,
        );
        await page.locator(".record-detail").waitFor();
        expect(await page.locator(".summary .flag-failure .failure-text").textContent()).toBe(
          `analyzing: ${trails.failed.reason}`,
        );
        expect(await outside()).toEqual([]);
        await expectNoHorizontalScroll();
        await browser.screenshot(`long-values-incident-${width}`);

        // The workflow created at the very end of the timeline: a long label at its right edge.
        await page.goto(
          `${storage.url}/ui/#/incident/${trails.retried.fingerprint}?remediation=${trails.retried.newer}`,
        );
        await page.locator(".record-detail").waitFor();
        expect(await outside()).toEqual([]);
        await expectNoHorizontalScroll();
        if (width > 700) {
          const label = page.locator(".mark-label", { hasText: "created rr-redis-2" });
          expect(await label.evaluate((l) => l.scrollWidth > l.clientWidth)).toBe(true);
          expect(
            await label.evaluate((l) => l.closest("button")?.getAttribute("title")?.split(" at ")[0]),
          ).toBe(`created ${trails.retried.workflow}`);
        }
        await browser.screenshot(`long-values-timeline-${width}`);

        await page.goto(`${storage.url}/ui/#/search?status=failed`);
        await rows().first().waitFor();
        const reasons = await page.locator("td.reason").evaluateAll((cells) =>
          cells.map((td) => {
            const text = td.querySelector(".clamp");
            return {
              title: text?.getAttribute("title"),
              fits:
                text !== null && text.getBoundingClientRect().right <= td.getBoundingClientRect().right + 0.5,
              lines:
                text === null
                  ? 0
                  : Math.round(text.clientHeight / Number.parseFloat(getComputedStyle(text).lineHeight)),
            };
          }),
        );
        expect(reasons[0]).toEqual({ title: trails.failed.reason, fits: true, lines: 3 });
        expect(reasons.every((r) => r.fits && r.lines <= 3)).toBe(true);
        const table = await page
          .locator(".results-area .table-wrap")
          .evaluate((wrap) => wrap.scrollWidth <= wrap.clientWidth);
        expect(table).toBe(true);
        await expectNoHorizontalScroll();
        await browser.screenshot(`long-values-search-${width}`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it("draws the ten analytics, keeps each window in the URL, and downloads the CSV the API serves", async () => {
    await page.goto(`${storage.url}/ui/#/analytics`);
    await expect.poll(() => page.locator("article.card").count()).toBe(10);
    const success = page.locator('[data-chart="orchestration-success-rate"]');
    await success.locator("svg rect.bar").first().waitFor();
    await page.locator('[data-chart="slowest-orchestrations"] svg rect.bar').first().waitFor();

    await success.locator("select").selectOption("30d");
    // The window is in the URL, and the re-drawn view comes back to the chart that changed.
    await page.waitForFunction(
      () => location.hash === "#/analytics?orchestration-success-rate=30d&chart=orchestration-success-rate",
    );
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
      .locator("figure.chart")
      .first()
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

  it("draws one unit per chart on its own scale, never a rate next to a count, and names the unit", async () => {
    await page.goto(`${storage.url}/ui/#/analytics`);
    await expect.poll(() => page.locator(".chart-body .loading").count()).toBe(0);
    const charts = await page.locator("article.card").evaluateAll((cards) =>
      cards.map((card) => ({
        name: card.getAttribute("data-chart"),
        units: [...card.querySelectorAll("figure.chart")].map((f) => f.getAttribute("data-unit")),
        captions: [...card.querySelectorAll("figure.chart .chart-caption")].map((c) => c.textContent),
      })),
    );
    const success = charts.find((c) => c.name === "orchestration-success-rate");
    expect(success).toEqual({
      name: "orchestration-success-rate",
      units: ["%", "count"],
      captions: ["Success rate (%)", "Remediations (count)"],
    });
    for (const chart of charts) {
      // A card with data draws each unit once, and each caption says which.
      expect(new Set(chart.units).size).toBe(chart.units.length);
      for (const caption of chart.captions) expect(caption).toMatch(/\((%|count|seconds|milliseconds)\)$/);
    }
    // Each chart has its own scale: the largest count is a full bar, a rate of 100% is a full bar.
    // The plot is the chart's width less the labels (where the bars start) and 70 for the values.
    const fullest = (unit: string) =>
      page
        .locator(`[data-chart="orchestration-success-rate"] figure[data-unit="${unit}"] rect.bar`)
        .evaluateAll((bars) => {
          const first = bars[0] as SVGRectElement;
          const width = (first.closest("svg") as SVGSVGElement).viewBox.baseVal.width;
          const plot = width - Number(first.getAttribute("x")) - 70;
          return Math.max(...bars.map((b) => Number(b.getAttribute("width")))) / plot;
        });
    expect(await fullest("count")).toBe(1);
    expect(await fullest("%")).toBe(1);
  });

  it("links to one chart: chart= in the URL scrolls to it and focuses it", async () => {
    /** The card is in view: at the top of the window, or wholly in it when the page ends below it. */
    const inView = (chart: string) =>
      page.locator(`[data-chart="${chart}"]`).evaluate((card) => {
        const { top, bottom } = card.getBoundingClientRect();
        const atEnd = Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight;
        return top >= 0 && (top < 50 || (atEnd && bottom <= innerHeight));
      });
    await page.goto(`${storage.url}/ui/#/analytics`);
    expect(await page.locator('[data-chart="retry-analysis"] a.permalink').getAttribute("href")).toBe(
      "#/analytics?chart=retry-analysis",
    );
    await page.goto("about:blank");
    await page.goto(`${storage.url}/ui/#/analytics?chart=retry-analysis`);
    await expect.poll(() => page.locator(".chart-body .loading").count()).toBe(0);
    await expect.poll(() => inView("retry-analysis")).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-chart"))).toBe(
      "retry-analysis",
    );
    await page.screenshot({ path: `${browser.screenshots}/analytics-linked-chart.png` });

    // The link of a card on the page does the same.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('[data-chart="hallucination-trend"] a.permalink').click();
    await page.waitForFunction(() => location.hash === "#/analytics?chart=hallucination-trend");
    await expect.poll(() => page.locator(".chart-body .loading").count()).toBe(0);
    await expect.poll(() => inView("hallucination-trend")).toBe(true);
    // The last chart cannot come to the top of the window: it ends the page.
    await page.goto(`${storage.url}/ui/#/analytics?chart=slowest-orchestrations`);
    await expect.poll(() => page.locator(".chart-body .loading").count()).toBe(0);
    await expect.poll(() => inView("slowest-orchestrations")).toBe(true);
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
    await page.locator('[data-chart="orchestration-success-rate"] svg').first().waitFor();
    await browser.screenshot("analytics-390");
    await expectNoHorizontalScroll();
    // Chart text is drawn at 11px and stays (nearly) that size on screen: the chart is drawn at its card's width.
    const textSizes = await page
      .locator("figure.chart svg")
      .evaluateAll((svgs) =>
        svgs.map(
          (el) => (11 * el.getBoundingClientRect().width) / (el as SVGSVGElement).viewBox.baseVal.width,
        ),
      );
    expect(textSizes.length).toBeGreaterThan(0);
    expect(Math.min(...textSizes)).toBeGreaterThanOrEqual(10.5);
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
