import { describe, expect, it } from "vitest";
import {
  EXPORT_FORMAT,
  type ExportManifest,
  exportManifestText,
  generateSignerKey,
  openExportManifest,
  parseExportManifest,
  parseSignerKey,
  parseVerifierKey,
  sha256,
  signExportManifest,
  signNote,
} from "../../src/index.js";

const KEY = generateSignerKey("audit.example/log");
const signer = parseSignerKey(KEY.signerKey);
const verifier = parseVerifierKey(KEY.verifierKey);
const manifest: ExportManifest = {
  origin: "audit.example/log",
  treeSize: 42,
  root: sha256(Buffer.from("root")),
  query: "correlation_id=rr-1&format=ndjson",
  records: 7,
  missing: 1,
  sha256: "ab".repeat(32),
  exportedAt: "2026-12-04T10:00:00.000Z",
};

describe("export manifests", () => {
  it("are a note of fixed lines that parses back to what was written, and opens with the log's key", () => {
    const text = exportManifestText(manifest);
    expect(text.split("\n")[0]).toBe(EXPORT_FORMAT);
    expect(text).toContain("\ntree_size 42\n");
    expect(parseExportManifest(text)).toEqual(manifest);
    expect(openExportManifest(signExportManifest(manifest, signer), verifier)).toEqual(manifest);
  });

  it("are refused when signed by another key, altered, or for another origin", () => {
    const other = parseSignerKey(generateSignerKey("audit.example/log").signerKey);
    expect(() => openExportManifest(signExportManifest(manifest, other), verifier)).toThrow(
      /no signature by a known key/,
    );
    const note = signExportManifest(manifest, signer);
    expect(() => openExportManifest(note.replace("records 7", "records 8"), verifier)).toThrow(
      /does not verify/,
    );
    expect(() => signExportManifest({ ...manifest, origin: "elsewhere" }, signer)).toThrow(
      /not the log's origin/,
    );
  });

  it.each([
    ["another format", (t: string) => t.replace(EXPORT_FORMAT, "other/v1"), /first line/],
    ["a missing field", (t: string) => t.replace(/^missing 1\n/m, ""), /no missing line/],
    [
      "a repeated field",
      (t: string) => t.replace(/^missing 1\n/m, "missing 1\nmissing 2\n"),
      /two missing lines/,
    ],
    ["a count that is not decimal", (t: string) => t.replace("records 7", "records 0x7"), /records "0x7"/],
    ["a root that is not a hash", (t: string) => t.replace(/^root .*$/m, "root AAAA"), /root is not base64/],
    ["a digest that is not hex", (t: string) => t.replace(/^sha256 .*$/m, "sha256 XYZ"), /sha256 is not 64/],
  ])("a manifest with %s is malformed, named", (_, edit, message) => {
    const text = edit(exportManifestText(manifest));
    expect(() => parseExportManifest(text)).toThrow(message);
    expect(() => openExportManifest(signNote(text, [signer]), verifier)).toThrow(message);
  });

  it("refuses to write a value with white space", () => {
    expect(() => exportManifestText({ ...manifest, query: "a b" })).toThrow(
      /query must be a non-empty value/,
    );
  });
});
