import { describe, expect, it } from "vitest";
import {
  type BundleManifest,
  bundleManifestText,
  bundleRow,
  csvLine,
  generateSignerKey,
  NoteError,
  openBundleManifest,
  parseBundleManifest,
  parseSignerKey,
  parseVerifierKey,
  signBundleManifest,
} from "../../src/index.js";

describe("bundle CSV", () => {
  it("quotes what RFC 4180 needs and escapes what a spreadsheet would run as a formula", () => {
    expect(csvLine(["plain", 3, null, "a,b", 'say "hi"', "two\nlines", " padded"])).toBe(
      'plain,3,,"a,b","say ""hi""","two\nlines"," padded"\r\n',
    );
    expect(csvLine(["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "safe=1"])).toBe(
      "'=SUM(A1),'+1,'-2,'@cmd,'\tx,safe=1\r\n",
    );
  });

  it("makes a row of each record line: payload as JSON, a gone record as empty cells", () => {
    const line = {
      leaf_index: 4,
      event_id: "e",
      leaf_hash: "h",
      inclusion_proof: [],
      record: { correlation_id: "rr", payload: { a: 1 }, occurred_at: "2026-12-01T00:00:00Z" },
      redacted: ["payload.a", "payload.b"],
    };
    expect(bundleRow(line)).toMatchObject({
      leaf_index: 4,
      correlation_id: "rr",
      payload: '{"a":1}',
      source: null,
      redacted: "payload.a,payload.b",
    });
    expect(bundleRow({ ...line, record: null, redacted: undefined })).toMatchObject({
      correlation_id: null,
      payload: null,
      redacted: null,
    });
  });
});

describe("bundle manifest", () => {
  const key = generateSignerKey("audit.test/bundle");
  const manifest: BundleManifest = {
    origin: "audit.test/bundle",
    files: [{ name: "records.csv", sha256: "a".repeat(64), bytes: 12 }],
  };

  it("signs and opens; a manifest changed or signed by another key is refused", () => {
    const note = signBundleManifest(manifest, parseSignerKey(key.signerKey));
    expect(openBundleManifest(note, parseVerifierKey(key.verifierKey))).toEqual(manifest);
    expect(() => openBundleManifest(note.replace("12\n", "13\n"), parseVerifierKey(key.verifierKey))).toThrow(
      NoteError,
    );
    const stranger = generateSignerKey("audit.test/bundle");
    expect(() => openBundleManifest(note, parseVerifierKey(stranger.verifierKey))).toThrow(NoteError);
  });

  it("names what is malformed", () => {
    expect(parseBundleManifest(bundleManifestText(manifest))).toEqual(manifest);
    expect(() => parseBundleManifest("kubernaut-audit/bundle/v1\norigin o\nfile x.csv abc 1\n")).toThrow(
      /malformed bundle manifest: line "file x.csv abc 1"/,
    );
    expect(() => parseBundleManifest("other\n")).toThrow(
      /the first line must be kubernaut-audit\/bundle\/v1/,
    );
  });
});
