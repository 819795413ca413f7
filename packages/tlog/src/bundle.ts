import type { ExportRecordLine } from "./export.js";
import { NoteError, type NoteSigner, type NoteVerifier, openOriginNote, signOriginNote } from "./note.js";

/**
 * A bundle: a tar of one export in three forms and a signed manifest of them.
 *   export.ndjson         the NDJSON export, whole: every record line with its proof, then its trailer (the
 *                         checkpoint and the export's own signed manifest)
 *   records.csv           one row per record line, `BUNDLE_COLUMNS`, formula-escaped for spreadsheets
 *   records.parquet       the same rows and columns
 *   bundle-manifest.note  signed with the log's key: each file's SHA-256 and size
 * The NDJSON carries the proofs; the CSV and Parquet rows must each say what its line says (`bundleRow`).
 */
export const BUNDLE_FORMAT = "kubernaut-audit/bundle/v1";

export const BUNDLE_FILES = {
  ndjson: "export.ndjson",
  csv: "records.csv",
  parquet: "records.parquet",
  manifest: "bundle-manifest.note",
} as const;

/** The columns of the CSV and Parquet forms, in order. */
export const BUNDLE_COLUMNS = [
  "leaf_index",
  "event_id",
  "leaf_hash",
  "correlation_id",
  "alert_fingerprint",
  "event_type",
  "source",
  "occurred_at",
  "received_at",
  "payload",
  "redacted",
] as const;
export type BundleColumn = (typeof BUNDLE_COLUMNS)[number];

/** One row of the CSV and Parquet forms: `leaf_index` a number, the rest text or null (a record that is gone). */
export type BundleRow = { leaf_index: number } & Record<Exclude<BundleColumn, "leaf_index">, string | null>;

/** The row of a record line: the record's fields as text, `payload` as JSON, `redacted` comma-joined. */
export function bundleRow(line: ExportRecordLine): BundleRow {
  const record = line.record;
  const text = (name: string): string | null => {
    const value = record?.[name];
    if (value === undefined || value === null) return null;
    return typeof value === "string" ? value : JSON.stringify(value);
  };
  return {
    leaf_index: line.leaf_index,
    event_id: line.event_id,
    leaf_hash: line.leaf_hash,
    correlation_id: text("correlation_id"),
    alert_fingerprint: text("alert_fingerprint"),
    event_type: text("event_type"),
    source: text("source"),
    occurred_at: text("occurred_at"),
    received_at: text("received_at"),
    payload: record === null ? null : JSON.stringify(record.payload ?? null),
    redacted: line.redacted?.join(",") ?? null,
  };
}

/**
 * One CSV line (RFC 4180, CRLF-terminated). A text cell that a spreadsheet would run as a formula (it starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`, as OWASP advises; null is an empty cell.
 */
export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

function csvCell(cell: string | number | null): string {
  if (cell === null) return "";
  if (typeof cell === "number") return String(cell);
  const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The CSV line of a row, in `BUNDLE_COLUMNS` order. */
export function bundleCsvLine(row: BundleRow): string {
  return csvLine(BUNDLE_COLUMNS.map((column) => row[column]));
}

export interface BundleFile {
  name: string;
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: string;
  bytes: number;
}

export interface BundleManifest {
  origin: string;
  files: BundleFile[];
}

/** The manifest's note text: the format line, the origin, then `file <name> <sha256> <bytes>` per file. */
export function bundleManifestText(manifest: BundleManifest): string {
  const lines = [BUNDLE_FORMAT, `origin ${manifest.origin}`];
  for (const file of manifest.files) {
    if (!/^[\w.-]+$/.test(file.name))
      throw new NoteError(`bundle manifest: bad file name ${JSON.stringify(file.name)}`);
    lines.push(`file ${file.name} ${file.sha256} ${file.bytes}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Parses a manifest's note text; throws a NoteError naming what is malformed. */
export function parseBundleManifest(text: string): BundleManifest {
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : [];
  if (lines[0] !== BUNDLE_FORMAT)
    throw new NoteError(`malformed bundle manifest: the first line must be ${BUNDLE_FORMAT}`);
  const origin = /^origin (\S+)$/.exec(lines[1] ?? "")?.[1];
  if (origin === undefined) throw new NoteError("malformed bundle manifest: no origin line");
  const files = lines.slice(2).map((line) => {
    const match = /^file ([\w.-]+) ([0-9a-f]{64}) (0|[1-9][0-9]*)$/.exec(line);
    if (match === null) throw new NoteError(`malformed bundle manifest: line ${JSON.stringify(line)}`);
    return { name: match[1] as string, sha256: match[2] as string, bytes: Number(match[3]) };
  });
  return { origin, files };
}

export function signBundleManifest(manifest: BundleManifest, signer: NoteSigner): string {
  return signOriginNote(bundleManifestText(manifest), manifest.origin, signer);
}

/** Opens a signed bundle manifest: its signature by `verifier`, then its lines. Throws a NoteError naming the fault. */
export function openBundleManifest(note: string, verifier: NoteVerifier): BundleManifest {
  return openOriginNote(note, verifier, parseBundleManifest, "bundle manifest");
}
