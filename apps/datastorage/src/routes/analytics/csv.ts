/** A cell a spreadsheet would run as a formula (OWASP "CSV injection"): it starts with = + - @ TAB or CR. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (`-1.5`, `+3e-4`) starts with - or + too, but a spreadsheet reads it as the number it is. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. A text that a
 * spreadsheet would take for a formula is prefixed with `'`, so it is shown, never run.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const raw = typeof value === "object" ? JSON.stringify(value) : String(value);
  const text = FORMULA_START.test(raw) && !PLAIN_NUMBER.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180 CSV: a header row of `columns`, then one CRLF-terminated line per row. Arrays and objects are
 * written as their JSON text, `null` as an empty field, formula-like text escaped (see `csvField`).
 */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map(csvField).join(",")];
  for (const row of rows) lines.push(columns.map((column) => csvField(row[column])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
