import type { Logger } from "@kubernaut/common";

export { type Logger, silentLogger } from "@kubernaut/common";

type LogMethod = (fields: object, message?: string) => void;

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;
export type LogLevel = keyof typeof LEVELS;

/** One JSON line per entry on stderr, pino-shaped, for callers that bring no logger. */
export function consoleJsonLogger(minLevel: LogLevel = "warn"): Logger {
  const at =
    (level: LogLevel): LogMethod =>
    (fields, message) => {
      if (LEVELS[level] < LEVELS[minLevel]) return;
      process.stderr.write(
        `${JSON.stringify({ level: LEVELS[level], time: Date.now(), name: "audit-publisher", ...fields, msg: message })}\n`,
      );
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
