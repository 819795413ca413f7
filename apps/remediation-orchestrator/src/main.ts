import { pino } from "pino";
import { ConfigError, loadConfig } from "./config.js";
import { startOrchestrator } from "./controller.js";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`remediation-orchestrator: ${error.message}\n`);
  process.exit(1);
}

const logger = pino({ name: "remediation-orchestrator", level: config.LOG_LEVEL });
const orchestrator = await startOrchestrator({ config, logger });
logger.info({ probePort: orchestrator.manager.probePort }, "remediation orchestrator started");

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: stopping reconciles, flushing audit records");
    orchestrator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
