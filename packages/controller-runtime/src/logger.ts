import type { Logger } from "@kubernaut/common";

export { type Logger, silentLogger } from "@kubernaut/common";

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

export function errorFields(error: unknown): { err: string } {
  return { err: error instanceof Error ? error.message : String(error) };
}
