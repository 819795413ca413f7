import { randomUUID } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { StorageService } from "@kubernaut/testing/storage";
import {
  type ExportTrailer,
  generateSignerKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from "@kubernaut/tlog";
import { parquetReadObjects } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { extract, pack } from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, type SealedService, startSealedService } from "../support/service.js";

/**
 * `kubernaut-audit export` from the real storage service (a child process, PGlite or TEST_DATABASE_URL), then
 * `kubernaut-audit verify --export` offline: a genuine export verifies; every kind of change to the file is caught
 * and named.
 */
const ORIGIN = "audit.test/export";
let service: SealedService;
let KEY: SealedService["key"];
let storage: StorageService;
let dir: string;
let published: string;
let exported: string;
let ids: string[];

/** `kubernaut-audit export` of the test's alert to `out`. */
const exportAlert = (out: string, ...more: string[]) =>
  cli("export", "--url", storage.url, "--fingerprint", "fp-export", ...more, "--out", out);

const verifyFile = (path: string, ...more: string[]) =>
  cli("verify", "--key", KEY.verifierKey, "--export", path, ...more);

/** The entries of a tar, by name, in order. */
async function untar(bytes: Buffer): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  const tar = extract();
  const reading = (async () => {
    for await (const entry of tar) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      entries.set(entry.header.name, Buffer.concat(chunks));
    }
  })();
  tar.end(bytes);
  await reading;
  return entries;
}

async function tarOf(entries: Map<string, Buffer>): Promise<Buffer> {
  const tar = pack();
  for (const [name, content] of entries) tar.entry({ name }, content);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const toArrayBuffer = (buffer: Buffer): ArrayBuffer =>
  buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;

/** A copy of the export with its lines changed by `edit` (the last line is the trailer). */
async function variant(name: string, edit: (lines: string[]) => string[]): Promise<string> {
  const text = await readFile(exported, "utf8");
  const path = join(dir, name);
  await writeFile(path, `${edit(text.slice(0, -1).split("\n")).join("\n")}\n`);
  return path;
}

beforeAll(async () => {
  service = await startSealedService(ORIGIN);
  ({ key: KEY, storage, dir, published } = service);
  ids = Array.from({ length: 30 }, () => randomUUID());
  const res = await fetch(`${storage.url}/api/v1/audit/batch`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      records: ids.map((event_id, i) => ({
        kind: "remediation-orchestration",
        event_id,
        alert_fingerprint: "fp-export",
        remediation_name: `rr-export-${i % 3}`,
        overall_phase: "processing",
        start_time: "2026-11-20T10:00:00Z",
        occurred_at: new Date(Date.UTC(2026, 10, 20, 10, 0, i)).toISOString(),
      })),
    }),
  });
  expect(res.status, await res.text()).toBe(201);
  await service.waitForCheckpoint(30);
  exported = join(dir, "fp-export.ndjson");
});
afterAll(async () => {
  await service?.close();
});

describe("kubernaut-audit export and verify --export", () => {
  it("exports an alert's records to a file and verifies it offline, and against the published checkpoints", async () => {
    const saved = await exportAlert(exported);
    expect(saved.code, saved.err).toBe(0);
    expect(saved.err).toContain(`wrote ${exported}: 30 records`);
    const offline = await verifyFile(exported);
    expect(offline.code, offline.out).toBe(0);
    expect(offline.out).toMatch(/ok {4}.*: 30 records, each unchanged and in the tree of 30 leaves/);
    expect(offline.out).toMatch(/\nverified$/);

    // Published checkpoints of smaller trees: consistency needs a proof, fetched with --url.
    const held = await verifyFile(exported, "--checkpoints", published);
    expect(held.code, held.out).toBe(0);
    const online = await verifyFile(exported, "--checkpoints", published, "--url", storage.url);
    expect(online.code, online.out).toBe(0);
    if (!held.out.includes("the same tree")) {
      expect(held.out).toMatch(/note {2}.*give --url to check their consistency/);
      expect(online.out).toMatch(/ok {4}consistent: \d+ → 30 leaves/);
    }

    const none = join(dir, "none.ndjson");
    expect(
      (await cli("export", "--url", storage.url, "--fingerprint", "fp-mistyped", "--out", none)).code,
    ).toBe(0);
    const empty = await verifyFile(none);
    expect(empty.code, empty.out).toBe(1);
    expect(empty.out).toMatch(
      /FAIL {2}.*none\.ndjson: no record line \(fingerprint=fp-mistyped.*\): nothing to verify/,
    );

    const range = join(dir, "range.ndjson");
    const byTime = await cli(
      "export",
      "--url",
      storage.url,
      "--from",
      "2026-11-20T10:00:10Z",
      "--to",
      "2026-11-20T10:00:20Z",
      "--out",
      range,
    );
    expect(byTime.code, byTime.err).toBe(0);
    expect((await readFile(range, "utf8")).trim().split("\n")).toHaveLength(11);
    expect((await verifyFile(range)).code).toBe(0);
  });

  it("exports with fields redacted: they hold no clear value, and the export still verifies", async () => {
    const redacted = join(dir, "redacted.ndjson");
    const saved = await exportAlert(redacted, "--redact", "payload.overall_phase");
    expect(saved.code, saved.err).toBe(0);
    const text = await readFile(redacted, "utf8");
    expect(text).not.toContain('"overall_phase":"processing"');
    expect(text).toContain('"redacted":["payload.overall_phase"]');
    const verified = await verifyFile(redacted);
    expect(verified.code, verified.out).toBe(0);
    expect(verified.out).toMatch(
      /ok {4}.*: 30 records in the tree of 30 leaves; 0 unchanged, 30 with fields redacted \(fingerprint=fp-export&format=ndjson&redact=payload.overall_phase\)/,
    );

    // A redacted field given back a clear value is caught, as is the changed line.
    const cleared = join(dir, "cleared.ndjson");
    await writeFile(
      cleared,
      text.replace(/"overall_phase":"hmac-sha256:[^"]+"/, '"overall_phase":"processing"'),
    );
    const result = await verifyFile(cleared);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/FAIL {2}altered: .*cleared\.ndjson line 1: .* holds a clear value/);
    expect(result.out).toMatch(
      /FAIL {2}.*cleared\.ndjson: the record lines do not match the manifest's SHA-256/,
    );
  });

  it("exports a bundle (NDJSON, CSV, Parquet, signed manifest) that verifies, and names the file and row changed", async () => {
    const bundle = join(dir, "bundle.tar");
    const saved = await exportAlert(bundle, "--format", "bundle");
    expect(saved.code, saved.err).toBe(0);
    const verified = await verifyFile(bundle);
    expect(verified.code, verified.out).toBe(0);
    expect(verified.out).toMatch(
      /ok {4}.*bundle\.tar: manifest signed by audit\.test\/export; 3 files as signed/,
    );
    expect(verified.out).toMatch(
      /ok {4}.*bundle\.tar: export\.ndjson: 30 records, each unchanged and in the tree/,
    );
    expect(verified.out).toMatch(
      /ok {4}.*bundle\.tar: the CSV and Parquet rows each say what their record line says/,
    );

    // Bytes changed in place (the tar stays readable): each is named by file, and by row and event.
    const bytes = await readFile(bundle);
    const changed = async (name: string, edit: (copy: Buffer) => void) => {
      const copy = Buffer.from(bytes);
      edit(copy);
      const path = join(dir, name);
      await writeFile(path, copy);
      return verifyFile(path);
    };
    const replaceFirst = (copy: Buffer, from: string, to: string) => {
      const at = copy.indexOf(from);
      expect(at).toBeGreaterThan(0);
      copy.write(to, at);
    };
    const csv = await changed("csv.tar", (copy) => replaceFirst(copy, ",rr-export-1,", ",rr-export-7,"));
    expect(csv.code).toBe(1);
    expect(csv.out).toMatch(
      /FAIL {2}altered: .*csv\.tar: records\.csv: its SHA-256 is not the one the manifest signs/,
    );
    // The first row holding rr-export-1 (rows follow the leaves: row N is leaf N - 2).
    const named =
      /FAIL {2}altered: .*csv\.tar: records\.csv row (\d+): event [0-9a-f-]{36} \(leaf (\d+)\)/.exec(csv.out);
    expect(named, csv.out).not.toBeNull();
    expect(Number(named?.[2])).toBe(Number(named?.[1]) - 2);

    // Cut short inside a file: a failure named as such, NOT verified, and no crash.
    const cut = join(dir, "cut.tar");
    await writeFile(cut, bytes.subarray(0, 6000));
    const truncated = await verifyFile(cut);
    expect(truncated.code).toBe(1);
    expect(truncated.out).toMatch(/FAIL .*cut\.tar: not a readable tar/);
    expect(truncated.out).toMatch(/NOT verified/);
    expect(truncated.err ?? "").not.toMatch(/triggerUncaughtException|at async/);

    const ndjson = await changed("ndjson.tar", (copy) =>
      replaceFirst(copy, '"overall_phase":"processing"', '"overall_phase":"Processing"'),
    );
    expect(ndjson.code).toBe(1);
    expect(ndjson.out).toMatch(/FAIL {2}altered: .*ndjson\.tar: export\.ndjson: its SHA-256/);
    expect(ndjson.out).toMatch(
      /FAIL {2}altered: .*ndjson\.tar: export\.ndjson line 1: event .*no longer hashes/,
    );

    // A Parquet file rewritten with one row changed: valid Parquet, but not what its record line says.
    const entries = await untar(bytes);
    const rows = await parquetReadObjects({ file: toArrayBuffer(entries.get("records.parquet") as Buffer) });
    const edited = rows.map((row, i) => (i === 4 ? { ...row, correlation_id: "rr-export-9" } : row));
    entries.set(
      "records.parquet",
      Buffer.from(
        parquetWriteBuffer({
          columnData: Object.keys(rows[0] ?? {}).map((name) => ({
            name,
            data: edited.map((row) => row[name]),
          })),
        }),
      ),
    );
    const rewritten = join(dir, "parquet.tar");
    await writeFile(rewritten, await tarOf(entries));
    const parquet = await verifyFile(rewritten);
    expect(parquet.code).toBe(1);
    expect(parquet.out).toMatch(/FAIL {2}altered: .*parquet\.tar: records\.parquet: its SHA-256/);
    expect(parquet.out).toMatch(
      /FAIL {2}altered: .*parquet\.tar: records\.parquet row 5: event [0-9a-f-]{36} \(leaf 4\)/,
    );
  });

  it("names the line and event of a changed record, a record moved to another leaf, and a changed byte", async () => {
    const altered = await variant("altered.ndjson", (lines) =>
      lines.map((line, i) => (i === 4 ? line.replace('"processing"', '"completed"') : line)),
    );
    const fifth = JSON.parse((await readFile(exported, "utf8")).split("\n")[4] as string) as {
      event_id: string;
    };
    expect(ids).toContain(fifth.event_id);
    const result = await verifyFile(altered);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      new RegExp(
        `FAIL {2}altered: .*altered\\.ndjson line 5: event ${fifth.event_id} \\(leaf 4\\): the record no longer hashes`,
      ),
    );
    expect(result.out).toMatch(
      /FAIL {2}.*altered\.ndjson: the record lines do not match the manifest's SHA-256/,
    );
    expect(result.out).toMatch(/\nNOT verified$/);

    const moved = await variant("moved.ndjson", (lines) =>
      lines.map((line, i) => (i === 2 ? line.replace('"leaf_index":2,', '"leaf_index":3,') : line)),
    );
    expect((await verifyFile(moved)).out).toMatch(
      /FAIL {2}not in the checkpointed tree: .*moved\.ndjson line 3: event .* \(leaf 3\)/,
    );

    const spaced = await variant("spaced.ndjson", (lines) =>
      lines.map((line, i) => (i === 7 ? line.replace('"record":', '"record": ') : line)),
    );
    const spacedResult = await verifyFile(spaced);
    expect(spacedResult.code).toBe(1);
    expect(spacedResult.out).toMatch(
      /FAIL {2}.*spaced\.ndjson: the record lines do not match the manifest's SHA-256/,
    );
  });

  it("catches a removed record, a removed trailer, and a manifest or checkpoint not signed by the key", async () => {
    const removed = await verifyFile(
      await variant("removed.ndjson", (lines) => lines.filter((_, i) => i !== 9)),
    );
    expect(removed.code).toBe(1);
    expect(removed.out).toMatch(/29 record lines \(0 without a record\), but the manifest says 30 \(0\)/);

    const truncated = await verifyFile(await variant("truncated.ndjson", (lines) => lines.slice(0, -1)));
    expect(truncated.code).toBe(1);
    expect(truncated.out).toMatch(/its last line is not the trailer .*: the export is truncated/);

    const stranger = parseSignerKey(generateSignerKey(ORIGIN).signerKey);
    const resigned = await variant("resigned.ndjson", (lines) => {
      const trailer = JSON.parse(lines.at(-1) as string) as ExportTrailer;
      const opened = openNote(trailer.manifest, [parseVerifierKey(KEY.verifierKey)]);
      const forged = signNote(opened.text.replace(/^records 30$/m, "records 29"), [stranger]);
      return [
        ...lines.slice(0, -1).filter((_, i) => i !== 0),
        JSON.stringify({ ...trailer, manifest: forged }),
      ];
    });
    expect((await verifyFile(resigned)).out).toMatch(
      /FAIL {2}forged manifest: .*resigned\.ndjson: the note carries no signature by a known key/,
    );
    const forgedCheckpoint = await variant("checkpoint.ndjson", (lines) => {
      const trailer = JSON.parse(lines.at(-1) as string) as ExportTrailer;
      const checkpoint = trailer.checkpoint.replace(/\n30\n/, "\n31\n");
      return [...lines.slice(0, -1), JSON.stringify({ ...trailer, checkpoint })];
    });
    expect((await verifyFile(forgedCheckpoint)).out).toMatch(
      /FAIL {2}forged checkpoint: .*checkpoint\.ndjson: the export's checkpoint: the signature/,
    );
  });

  it("bad arguments and a service that cannot export exit 2 naming the problem", async () => {
    expect(await verifyFile(join(dir, "absent.ndjson"))).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--export: cannot read .*absent\.ndjson/),
    });
    expect(await verifyFile(exported, "--all")).toMatchObject({
      code: 2,
      err: expect.stringMatching(/leave out --correlation-id, --fingerprint and --all/),
    });
    expect(await cli("export", "--url", storage.url, "--out", join(dir, "x.ndjson"))).toMatchObject({
      code: 2,
      err: expect.stringMatching(/exactly one of --correlation-id, --fingerprint and a time range/),
    });
    const reversed = await cli(
      "export",
      "--url",
      storage.url,
      "--from",
      "2026-12-01T00:00:00Z",
      "--to",
      "2026-11-01T00:00:00Z",
      "--out",
      join(dir, "reversed.ndjson"),
    );
    expect(reversed).toMatchObject({ code: 2, err: expect.stringMatching(/400 .*must be before to|400/) });
    const again = await exportAlert(exported);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/--out: .*fp-export\.ndjson already exists/);
  });
});
