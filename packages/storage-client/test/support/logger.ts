import type { Logger } from "../../src/index.js";

export interface LogEntry {
  level: keyof Logger;
  fields: Record<string, unknown>;
  message: string;
}

/** A logger that keeps its entries, so tests can check what was logged about a record. */
export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: keyof Logger) => (fields: object, message: string) => {
    entries.push({ level, fields: fields as Record<string, unknown>, message });
  };
  return { entries, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
