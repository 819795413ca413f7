import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export type { Download, Page } from "playwright-core";

/** The flags a shared CI machine needs: no sandbox (root), no GPU, nothing phoning home. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** `CHROMIUM_PATH`, default Debian's `/usr/bin/chromium`; Playwright's own browser download is not used. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(
      `no Chromium at ${path}: install Debian's chromium package (apt-get install -y chromium) ` +
        "or set CHROMIUM_PATH to a Chromium or Chrome executable",
    );
  }
  return path;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Where screenshots go; printed once, kept after the run. */
  screenshots: string;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile, one 1280×900 page, downloads accepted. Screenshots go to
 * `$EXPLORER_SCREENSHOTS/<suite>` when set (CI keeps them), else to a new temp directory; the path is printed.
 */
export async function launchBrowser(suite: string): Promise<Browser> {
  const executablePath = chromiumPath();
  const profile = await mkdtemp(join(tmpdir(), "explorer-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const screenshots = process.env.EXPLORER_SCREENSHOTS
    ? join(process.env.EXPLORER_SCREENSHOTS, suite)
    : await mkdtemp(join(tmpdir(), `explorer-screenshots-${suite}-`));
  await mkdir(screenshots, { recursive: true });
  console.log(`explorer screenshots (${suite}): ${screenshots}`);
  return {
    context,
    page,
    screenshots,
    async screenshot(name) {
      const file = join(screenshots, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
