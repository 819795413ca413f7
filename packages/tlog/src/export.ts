import { type Hash, hashFromBase64, toBase64 } from "./hash.js";
import { NoteError, type NoteSigner, type NoteVerifier, openOriginNote, signOriginNote } from "./note.js";

/**
 * A verified export: one NDJSON line per sealed record in scope (`ExportRecordLine`), then one trailer line
 * (`ExportTrailer`) holding the checkpoint the records are proved against and a manifest signed with the log's
 * key. The manifest pins the record lines by their SHA-256, so a reviewer who holds the log's verifier key needs
 * nothing else: not the service, not the database.
 */
export const EXPORT_FORMAT = "kubernaut-audit/export/v1";

/** One record of an export: its leaf, the record as stored (null once retention deleted it), and its proof. */
export interface ExportRecordLine {
  leaf_index: number;
  event_id: string;
  /** Base64 of the RFC 6962 leaf hash sealed for the record. */
  leaf_hash: string;
  record: Record<string, unknown> | null;
  /** Base64 hashes: the inclusion proof of the leaf in the checkpoint's tree. */
  inclusion_proof: string[];
  /**
   * The fields of `record` an export's `redact=` replaced by their HMAC (`redactRecord`); absent when none. The
   * leaf still proves the record as sealed; the redacted record is vouched for by the signed manifest.
   */
  redacted?: string[];
}

/** The last line of an export. */
export interface ExportTrailer {
  /** The signed checkpoint note every record line is proved against. */
  checkpoint: string;
  /** The signed manifest note (`exportManifestText`). */
  manifest: string;
}

/** What the manifest states about the export; signed, so none of it can change unnoticed. */
export interface ExportManifest {
  origin: string;
  treeSize: number;
  root: Hash;
  /** The export's query, as `key=value` pairs joined by `&` (URL-encoded values). */
  query: string;
  /** Record lines in the export. */
  records: number;
  /** Of those, the lines whose record the service no longer held (its leaf and proof are still there). */
  missing: number;
  /** Lowercase hex SHA-256 of every record line, each with its newline, in order. */
  sha256: string;
  /** When the export was made (RFC 3339). */
  exportedAt: string;
}

const FIELDS = [
  "origin",
  "tree_size",
  "root",
  "query",
  "records",
  "missing",
  "sha256",
  "exported_at",
] as const;

/** The manifest's note text: the format line, then one `name value` line per field, in a fixed order. */
export function exportManifestText(manifest: ExportManifest): string {
  const values: Record<(typeof FIELDS)[number], string> = {
    origin: manifest.origin,
    tree_size: String(manifest.treeSize),
    root: toBase64(manifest.root),
    query: manifest.query,
    records: String(manifest.records),
    missing: String(manifest.missing),
    sha256: manifest.sha256,
    exported_at: manifest.exportedAt,
  };
  for (const [name, value] of Object.entries(values)) {
    if (value === "" || /\s/.test(value))
      throw new NoteError(`export manifest: ${name} must be a non-empty value without white space`);
  }
  return [EXPORT_FORMAT, ...FIELDS.map((name) => `${name} ${values[name]}`)].join("\n").concat("\n");
}

const count = (name: string, text: string): number => {
  if (!/^(0|[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new NoteError(
      `malformed export manifest: ${name} ${JSON.stringify(text)} is not a decimal integer`,
    );
  return Number(text);
};

/** Parses a manifest's note text; throws a NoteError naming what is malformed. */
export function parseExportManifest(text: string): ExportManifest {
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : [];
  if (lines[0] !== EXPORT_FORMAT)
    throw new NoteError(`malformed export manifest: the first line must be ${EXPORT_FORMAT}`);
  const values = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const space = line.indexOf(" ");
    if (space <= 0) throw new NoteError(`malformed export manifest: line ${JSON.stringify(line)}`);
    const name = line.slice(0, space);
    if (values.has(name)) throw new NoteError(`malformed export manifest: two ${name} lines`);
    values.set(name, line.slice(space + 1));
  }
  const field = (name: (typeof FIELDS)[number]): string => {
    const value = values.get(name);
    if (value === undefined) throw new NoteError(`malformed export manifest: no ${name} line`);
    return value;
  };
  let root: Hash;
  try {
    root = hashFromBase64(field("root"));
  } catch {
    throw new NoteError("malformed export manifest: root is not base64 of 32 bytes");
  }
  const sha256 = field("sha256");
  if (!/^[0-9a-f]{64}$/.test(sha256))
    throw new NoteError("malformed export manifest: sha256 is not 64 lowercase hex digits");
  return {
    origin: field("origin"),
    treeSize: count("tree_size", field("tree_size")),
    root,
    query: field("query"),
    records: count("records", field("records")),
    missing: count("missing", field("missing")),
    sha256,
    exportedAt: field("exported_at"),
  };
}

/** Signs a manifest with the log's key (the same key, and so the same origin, as its checkpoints). */
export function signExportManifest(manifest: ExportManifest, signer: NoteSigner): string {
  return signOriginNote(exportManifestText(manifest), manifest.origin, signer);
}

/** Opens a signed manifest: its signature by `verifier`, then its fields. Throws a NoteError naming the fault. */
export function openExportManifest(note: string, verifier: NoteVerifier): ExportManifest {
  return openOriginNote(note, verifier, parseExportManifest, "manifest");
}
