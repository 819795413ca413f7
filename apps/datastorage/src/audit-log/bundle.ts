import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import {
  BUNDLE_COLUMNS,
  BUNDLE_FILES,
  type BundleFile,
  type BundleRow,
  bundleCsvLine,
  bundleRow,
  csvLine,
  type ExportRecordLine,
  type NoteSigner,
  signBundleManifest,
} from "@kubernaut/tlog";
import { fileWriter, ParquetWriter } from "hyparquet-writer";
import { type Pack, pack } from "tar-stream";

/** The Parquet schema of the bundle's rows: `leaf_index` INT64, every other column optional UTF-8 text. */
const PARQUET_SCHEMA = [
  { name: "root", num_children: BUNDLE_COLUMNS.length },
  { name: "leaf_index", type: "INT64" as const, repetition_type: "REQUIRED" as const },
  ...BUNDLE_COLUMNS.slice(1).map((name) => ({
    name,
    type: "BYTE_ARRAY" as const,
    converted_type: "UTF8" as const,
    repetition_type: "OPTIONAL" as const,
  })),
];

/** Writes a stream's text and waits for it to drain when it asks to. */
async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
}

/**
 * Writes an export's three forms into `dir` from its NDJSON lines (record lines, then the trailer), a page at a
 * time, and a bundle manifest of them signed with `signer`; answers the files in tar order. Memory stays that of
 * one page: each Parquet row group is one page of records.
 */
export async function writeBundleFiles(
  dir: string,
  lines: AsyncIterable<string>,
  signer: NoteSigner,
  origin: string,
): Promise<string[]> {
  const ndjson = createWriteStream(join(dir, BUNDLE_FILES.ndjson));
  const csv = createWriteStream(join(dir, BUNDLE_FILES.csv));
  await write(csv, csvLine(BUNDLE_COLUMNS));
  const parquet = new ParquetWriter({
    writer: fileWriter(join(dir, BUNDLE_FILES.parquet)),
    schema: PARQUET_SCHEMA,
  });
  for await (const text of lines) {
    await write(ndjson, text);
    const rows: BundleRow[] = [];
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const parsed = JSON.parse(line) as Partial<ExportRecordLine>;
      if (parsed.leaf_index === undefined) continue; // the trailer
      rows.push(bundleRow(parsed as ExportRecordLine));
    }
    if (rows.length === 0) continue;
    await write(csv, rows.map(bundleCsvLine).join(""));
    await parquet.write({
      columnData: BUNDLE_COLUMNS.map((name) => ({
        name,
        data: rows.map((row) => (name === "leaf_index" ? BigInt(row.leaf_index) : row[name])),
      })),
      rowGroupSize: rows.length,
    });
  }
  await parquet.finish();
  ndjson.end();
  csv.end();
  await Promise.all([finished(ndjson), finished(csv)]);

  const files: BundleFile[] = [];
  for (const name of [BUNDLE_FILES.ndjson, BUNDLE_FILES.csv, BUNDLE_FILES.parquet]) {
    const path = join(dir, name);
    const digest = createHash("sha256");
    for await (const chunk of createReadStream(path)) digest.update(chunk as Buffer);
    files.push({ name, sha256: digest.digest("hex"), bytes: (await stat(path)).size });
  }
  const manifest = signBundleManifest({ origin, files }, signer);
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(join(dir, BUNDLE_FILES.manifest));
    out.on("error", reject);
    out.end(manifest, resolve);
  });
  return [BUNDLE_FILES.manifest, ...files.map((file) => file.name)];
}

/** A tar of `names` in `dir`, streamed a file at a time. */
export function tarOf(dir: string, names: readonly string[]): Pack {
  const tar = pack();
  void (async () => {
    try {
      for (const name of names) {
        const path = join(dir, name);
        const size = (await stat(path)).size;
        const entry = tar.entry({ name, size, mode: 0o644, mtime: new Date(0) });
        for await (const chunk of createReadStream(path)) {
          if (!entry.write(chunk)) await new Promise<void>((resolve) => entry.once("drain", () => resolve()));
        }
        await new Promise<void>((resolve, reject) =>
          entry.end((err?: Error | null) => (err ? reject(err) : resolve())),
        );
      }
      tar.finalize();
    } catch (err) {
      tar.destroy(err as Error);
    }
  })();
  return tar;
}
