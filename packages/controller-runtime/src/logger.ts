/** The logging calls the runtime makes; a pino logger fits it as it is. */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

function line(level: string) {
  return (fields: object, message?: string) => {
    process.stderr.write(
      `${JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields })}\n`,
    );
  };
}

/** Writes warnings and errors to stderr as JSON lines; used when no logger is given. */
export const stderrLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: line("warn"),
  error: line("error"),
};

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function errorFields(error: unknown): { err: string } {
  return { err: error instanceof Error ? error.message : String(error) };
}
