import { runControllerProcess } from "@kubernaut/controller-kit";
import { pino } from "pino";
import { loadConfig } from "./config.js";
import { startOrchestrator } from "./controller.js";

await runControllerProcess({
  name: "remediation-orchestrator",
  loadConfig,
  createLogger: pino,
  start: (config, logger) => startOrchestrator({ config, logger }),
  startedMessage: "remediation orchestrator started",
});
