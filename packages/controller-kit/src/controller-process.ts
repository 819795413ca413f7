import { KubeConfigError, type Logger } from "@kubernaut/controller-runtime";
import { ConfigError } from "./controller-config.js";

export interface ControllerProcessOptions<C extends { LOG_LEVEL: string }, R extends RunningProcess> {
  /** The logger's name, and the prefix of a configuration error on stderr. */
  name: string;
  /** Reads the environment; a ConfigError ends the process with exit code 1. */
  loadConfig: () => C;
  /** A pino-compatible logger factory, e.g. `pino`. */
  createLogger: (options: { name: string; level: string }) => Logger;
  start: (config: C, logger: Logger) => Promise<R>;
  /** Logged once started, with the probe port and `startedFields(config)`. */
  startedMessage: string;
  startedFields?: (config: C) => object;
}

export interface RunningProcess {
  manager: { readonly probePort: number | undefined };
  stop(): Promise<void>;
}

/**
 * A controller's `main`: loads the configuration (a wrong one is written to stderr, exit 1), creates the
 * logger and starts the controller. The first SIGTERM or SIGINT stops it (exit 0, or 1 when stopping
 * fails); the handlers are registered before start-up completes, so a SIGTERM during start-up still
 * stops cleanly once started. Resolves once started; no cluster configured ends the process with one line and exit
 * code 1, and any other start-up failure rejects.
 */
export async function runControllerProcess<C extends { LOG_LEVEL: string }, R extends RunningProcess>(
  options: ControllerProcessOptions<C, R>,
): Promise<void> {
  const config = configOrExit(options.name, options.loadConfig);
  const logger = options.createLogger({ name: options.name, level: config.LOG_LEVEL });
  const starting = options.start(config, logger);

  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "shutting down: stopping reconciles, flushing audit records");
      starting
        .then((running) => running.stop())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, "shutdown failed");
            process.exit(1);
          },
        );
    });
  }

  const running = await starting.catch((error: unknown) => {
    if (!(error instanceof KubeConfigError)) throw error;
    process.stderr.write(`${options.name}: ${error.message}\n`);
    process.exit(1);
  });
  logger.info(
    { probePort: running.manager.probePort, ...options.startedFields?.(config) },
    options.startedMessage,
  );
}

function configOrExit<C>(name: string, loadConfig: () => C): C {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(1);
  }
}
