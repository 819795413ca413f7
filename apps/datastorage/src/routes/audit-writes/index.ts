import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Config } from "../../config.js";
import type { AppEnv } from "../../env.js";
import { registerAIAnalysisRoute } from "./ai-analysis.js";
import { registerAlertProcessingRoute } from "./alert-processing.js";
import { registerBatchRoute } from "./batch.js";
import { registerLimitsRoute } from "./limits.js";
import { registerRemediationOrchestrationRoute } from "./remediation-orchestration.js";

export function registerAuditWriteRoutes(app: OpenAPIHono<AppEnv>, config: Config): void {
  registerRemediationOrchestrationRoute(app);
  registerAlertProcessingRoute(app);
  registerAIAnalysisRoute(app);
  registerBatchRoute(app, config.MAX_BATCH_RECORDS);
  registerLimitsRoute(app);
}
