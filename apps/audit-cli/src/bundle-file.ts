import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, open, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  BUNDLE_COLUMNS,
  BUNDLE_FILES,
  type BundleManifest,
  type BundleRow,
  bundleCsvLine,
  bundleRow,
  csvLine,
  type ExportRecordLine,
  openBundleManifest,
} from "@kubernaut/tlog";
import { asyncBufferFromFile, parquetRead } from "hyparquet";
import { extract } from "tar-stream";
import { type ExportVerifyOptions, rawLines, verifyExportFile } from "./export-file.js";
import type { Reporter } from "./verify.js";

/** Whether the file is a tar (`ustar` at byte 257 of its first header): a bundle, not an NDJSON export. */
export async function isTar(path: string): Promise<boolean> {
  const file = await open(path, "r");
  try {
    const header = Buffer.alloc(262);
    const { bytesRead } = await file.read(header, 0, header.length, 0);
    return bytesRead === header.length && header.subarray(257, 262).toString("latin1") === "ustar";
  } finally {
    await file.close();
  }
}

const KNOWN = new Set<string>(Object.values(BUNDLE_FILES));

/** Unpacks the bundle's files into `dir`; answers the names of the entries that are not a bundle's. */
async function unpack(path: string, dir: string): Promise<string[]> {
  const unexpected: string[] = [];
  const tar = extract();
  const done = (async () => {
    for await (const entry of tar) {
      const name = entry.header.name;
      if (entry.header.type !== "file" || !KNOWN.has(name)) {
        unexpected.push(name);
        entry.resume();
        continue;
      }
      await pipeline(entry, createWriteStream(join(dir, name)));
    }
  })();
  // Both awaited together: a tar cut short fails the read and the entries alike, and neither may go unhandled.
  await Promise.all([pipeline(createReadStream(path), tar), done]);
  return unexpected;
}

async function sha256Of(path: string): Promise<string> {
  const digest = createHash("sha256");
  for await (const chunk of createReadStream(path)) digest.update(chunk as Buffer);
  return digest.digest("hex");
}

/** The rows the export's record lines call for, in order (the trailer is not a record). */
async function* expectedRows(ndjson: string): AsyncGenerator<BundleRow> {
  for await (const line of rawLines(ndjson)) {
    const parsed = JSON.parse(line.toString("utf8")) as Partial<ExportRecordLine>;
    if (parsed.leaf_index !== undefined) yield bundleRow(parsed as ExportRecordLine);
  }
}

/**
 * Verifies a bundle (`GET /api/v1/audit/export?format=bundle`) offline: its manifest signed by the key, each
 * file's SHA-256 and size against it, the NDJSON export as `verify --export` does, then every CSV and Parquet row
 * against its record line. Each failure names the bundle, the file and, where one is at fault, the row and event.
 */
export async function verifyBundleFile(options: ExportVerifyOptions, report: Reporter): Promise<boolean> {
  const { path, verifier } = options;
  let ok = true;
  const fail = (line: string) => {
    ok = false;
    report.fail(line);
  };
  const dir = await mkdtemp(join(tmpdir(), "kubernaut-bundle-"));
  try {
    let unexpected: string[];
    try {
      unexpected = await unpack(path, dir);
    } catch (err) {
      fail(`${path}: not a readable tar: ${(err as Error).message}`);
      return false;
    }
    for (const name of unexpected) fail(`${path}: ${name}: not a file of a bundle`);
    const file = (name: string) => join(dir, name);
    const present = async (name: string) =>
      stat(file(name)).then(
        () => true,
        () => false,
      );
    if (!(await present(BUNDLE_FILES.manifest))) {
      fail(`${path}: no ${BUNDLE_FILES.manifest}: not a bundle, or cut short`);
      return false;
    }
    let manifest: BundleManifest;
    try {
      manifest = openBundleManifest(await readFile(file(BUNDLE_FILES.manifest), "utf8"), verifier);
    } catch (err) {
      fail(`forged manifest: ${path}: ${BUNDLE_FILES.manifest}: ${(err as Error).message}`);
      return false;
    }
    const signed = new Map(manifest.files.map((f) => [f.name, f]));
    for (const name of [BUNDLE_FILES.ndjson, BUNDLE_FILES.csv, BUNDLE_FILES.parquet]) {
      const entry = signed.get(name);
      if (entry === undefined) fail(`${path}: the manifest names no ${name}`);
      else if (!(await present(name)))
        fail(`missing: ${path}: ${name}: signed in the manifest, but not in the bundle`);
      else if ((await sha256Of(file(name))) !== entry.sha256 || (await stat(file(name))).size !== entry.bytes)
        fail(
          `altered: ${path}: ${name}: its SHA-256 is not the one the manifest signs: the file was changed`,
        );
    }
    if (!ok) report.note(`${path}: checking the files' rows, to name the records changed`);
    else report.ok(`${path}: manifest signed by ${verifier.name}; ${manifest.files.length} files as signed`);
    if (!(await present(BUNDLE_FILES.ndjson))) return false;

    const label = `${path}: ${BUNDLE_FILES.ndjson}`;
    if (!(await verifyExportFile({ ...options, path: file(BUNDLE_FILES.ndjson), label }, report))) ok = false;
    if (await present(BUNDLE_FILES.csv)) {
      if (
        !(await checkCsv(
          file(BUNDLE_FILES.csv),
          file(BUNDLE_FILES.ndjson),
          `${path}: ${BUNDLE_FILES.csv}`,
          fail,
        ))
      )
        ok = false;
    }
    if (await present(BUNDLE_FILES.parquet)) {
      const where = `${path}: ${BUNDLE_FILES.parquet}`;
      if (!(await checkParquet(file(BUNDLE_FILES.parquet), file(BUNDLE_FILES.ndjson), where, fail)))
        ok = false;
    }
    if (ok) report.ok(`${path}: the CSV and Parquet rows each say what their record line says`);
    return ok;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Compares the CSV, row by row, with the rows the NDJSON calls for: the first that differs is named. */
async function checkCsv(
  csv: string,
  ndjson: string,
  where: string,
  fail: (line: string) => void,
): Promise<boolean> {
  const file = await open(csv, "r");
  let position = 0;
  const read = async (n: number): Promise<Buffer> => {
    const buffer = Buffer.alloc(n);
    const { bytesRead } = await file.read(buffer, 0, n, position);
    position += bytesRead;
    return buffer.subarray(0, bytesRead);
  };
  try {
    const header = Buffer.from(csvLine(BUNDLE_COLUMNS));
    if (!(await read(header.length)).equals(header)) {
      fail(`altered: ${where} row 1: not the header ${BUNDLE_COLUMNS.join(",")}`);
      return false;
    }
    let row = 1;
    for await (const expected of expectedRows(ndjson)) {
      row++;
      const bytes = Buffer.from(bundleCsvLine(expected));
      if (!(await read(bytes.length)).equals(bytes)) {
        fail(
          `altered: ${where} row ${row}: event ${expected.event_id} (leaf ${expected.leaf_index}) is not what its record line says`,
        );
        return false;
      }
    }
    if ((await read(1)).length > 0) {
      fail(`altered: ${where}: rows after the last record line`);
      return false;
    }
    return true;
  } finally {
    await file.close();
  }
}

const PARQUET_PAGE = 1000;

/** Compares the Parquet rows, a page at a time, with the rows the NDJSON calls for. */
async function checkParquet(
  parquet: string,
  ndjson: string,
  where: string,
  fail: (line: string) => void,
): Promise<boolean> {
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  try {
    file = await asyncBufferFromFile(parquet);
  } catch (err) {
    fail(`altered: ${where}: cannot be read (${(err as Error).message})`);
    return false;
  }
  const readRows = async (rowStart: number, rowEnd: number): Promise<Record<string, unknown>[]> => {
    let rows: Record<string, unknown>[] = [];
    await parquetRead({
      file,
      rowStart,
      rowEnd,
      rowFormat: "object",
      onComplete: (data) => {
        rows = data as Record<string, unknown>[];
      },
    });
    return rows;
  };
  let index = 0;
  let page: Record<string, unknown>[] = [];
  try {
    for await (const expected of expectedRows(ndjson)) {
      if (index % PARQUET_PAGE === 0) page = await readRows(index, index + PARQUET_PAGE);
      const actual = page[index % PARQUET_PAGE];
      index++;
      const same =
        actual !== undefined &&
        BUNDLE_COLUMNS.every((column) =>
          column === "leaf_index"
            ? actual[column] === BigInt(expected.leaf_index)
            : (actual[column] ?? null) === expected[column],
        );
      if (!same) {
        fail(
          `altered: ${where} row ${index}: event ${expected.event_id} (leaf ${expected.leaf_index}) is not what its record line says`,
        );
        return false;
      }
    }
    if ((await readRows(index, index + 1)).length > 0) {
      fail(`altered: ${where}: rows after the last record line`);
      return false;
    }
  } catch (err) {
    fail(`altered: ${where}: cannot be read (${(err as Error).message})`);
    return false;
  }
  return true;
}
