import { pino } from "pino";
import { ConfigError, loadConfig } from "./config.js";
import { startController } from "./controller.js";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`ai-analysis: ${error.message}\n`);
  process.exit(1);
}

const logger = pino({ name: "ai-analysis", level: config.LOG_LEVEL });
const starting = startController({ config, logger });

// Registered before start-up completes, so a SIGTERM during start-up still stops cleanly.
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: stopping reconciles, flushing audit records");
    starting
      .then((controller) => controller.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  });
}

const controller = await starting;
logger.info(
  { probePort: controller.manager.probePort, provider: config.INVESTIGATION_PROVIDER },
  "AI analysis controller started",
);
