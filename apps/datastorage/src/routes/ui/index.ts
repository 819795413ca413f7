import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { HttpProblem } from "../../errors.js";

export const UI_PATH = "/ui";

/** The built explorer (`@kubernaut/explorer`'s `dist`), wherever the package is installed: workspace or image. */
export function explorerAssetsDir(): string | null {
  try {
    const manifest = createRequire(import.meta.url).resolve("@kubernaut/explorer/package.json");
    const dist = join(dirname(manifest), "dist");
    return existsSync(join(dist, "index.html")) ? dist : null;
  } catch {
    return null;
  }
}

/**
 * The Audit explorer's static files at /ui/. They need no token: the page holds no data, and every API call it
 * makes carries the bearer token the user enters, checked by the same middleware as any other client's.
 * Navigation state lives in the URL's hash, so only real files are served; anything else is a 404 problem.
 */
export function registerUiRoutes(
  app: OpenAPIHono<AppEnv>,
  assetsDir: string | null = explorerAssetsDir(),
): void {
  app.get(UI_PATH, (c) => c.redirect(`${UI_PATH}/`, 301));
  if (assetsDir === null) {
    app.get(`${UI_PATH}/*`, () => {
      throw new HttpProblem({
        status: 503,
        detail: "the explorer is not built: run `pnpm --filter @kubernaut/explorer build`",
      });
    });
    return;
  }
  app.use(`${UI_PATH}/*`, async (c, next) => {
    await next();
    // Hashed assets never change; index.html must be re-read so a new build is picked up.
    if (c.res.ok) {
      const immutable = c.req.path.startsWith(`${UI_PATH}/assets/`);
      c.header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    }
  });
  app.get(
    `${UI_PATH}/*`,
    serveStatic({ root: assetsDir, rewriteRequestPath: (path) => path.slice(UI_PATH.length) || "/" }),
  );
}
