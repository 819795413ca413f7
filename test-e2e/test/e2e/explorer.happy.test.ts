import { type Browser, launchBrowser } from "@kubernaut/testing/browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCompleteAuditTrail } from "../support/audit-trail.js";
import { useSpecSystem } from "../support/spec-system.js";

describe("the Audit explorer after a remediation, end to end", () => {
  const spec = useSpecSystem("e2e-explorer");
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser("e2e");
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the remediation's complete timeline, every record in its controller's lane", async () => {
    const fingerprint = `oom-${spec.namespace}`;
    const rr = await spec.cluster.remediate(spec.namespace, "api-oom", fingerprint);
    expect(rr.status?.phase).toBe("completed");
    const events = await expectCompleteAuditTrail(spec.storage, fingerprint, "api-oom");

    const page = browser.page;
    await page.goto(
      `${spec.storage.url}/ui/#/incident/${encodeURIComponent(fingerprint)}?remediation=api-oom`,
    );
    // The service authenticates callers (tokenreview): the page asks once for a ServiceAccount token.
    const token = (spec.storage.headers().Authorization ?? "").replace(/^Bearer /, "");
    if (token !== "") {
      await page.getByLabel("Token").fill(token);
      await page.getByRole("button", { name: "Sign in" }).click();
    }
    await page.locator(".record-detail").waitFor();

    const listed = await page
      .locator(".record-list button")
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-event-id")));
    expect(listed).toEqual(events.map((e) => e.event_id));
    const marks = await page
      .locator(".lane")
      .evaluateAll((lanes) =>
        Object.fromEntries(
          lanes.map((lane) => [
            lane.getAttribute("data-lane"),
            [...lane.querySelectorAll(".mark")].map((m) => m.getAttribute("data-event-id")),
          ]),
        ),
      );
    for (const source of ["orchestrator", "processor", "ai-analysis"]) {
      const expected = events.filter((e) => e.source === source).map((e) => e.event_id);
      expect([...(marks[source] ?? [])].sort(), `${source} lane`).toEqual(expected.sort());
    }
    // The workflow lane: its creation by the AI analysis and its phases in the orchestrator's snapshots.
    const workflow = await page.locator('.lane[data-lane="workflow"] .mark').allInnerTexts();
    expect(workflow[0]).toMatch(/^created /);
    expect(workflow.at(-1)).toBe("completed");
    expect(await page.locator(".summary .badge").textContent()).toBe("completed");
    await browser.screenshot("incident");
  });
});
