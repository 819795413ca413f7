type LogMethod = (fields: object, message: string) => void;

/** The subset of pino's interface the publisher uses; a pino logger fits as is. */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

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

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
