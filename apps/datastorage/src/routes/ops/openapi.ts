import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { registerDocsRoutes } from "./docs.js";

export const OPENAPI_PATH = "/openapi.json";

/** The OpenAPI 3.1 document, generated from the routes' zod contracts, and a browsable page at /docs. */
export function registerOpenApiRoutes(app: OpenAPIHono<AppEnv>): void {
  app.doc31(OPENAPI_PATH, {
    openapi: "3.1.0",
    info: {
      title: "Kubernaut Data Storage Service",
      version: "1.0.0",
      description:
        "The permanent audit trail of the Kubernaut remediation controllers: writes, queries, analytics, embeddings.",
    },
  });
  registerDocsRoutes(app);
}
