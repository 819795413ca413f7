import { describe, expect, it } from "vitest";
import { EMPTY_ROOT, hashFromBase64, leafHash, nodeHash, toBase64 } from "../../src/index.js";

/** RFC 6962 hasher vectors (transparency-dev/merkle rfc6962_test.go). */
describe("RFC 6962 hashes", () => {
  it("empty tree, empty leaf, leaf, node", () => {
    expect(EMPTY_ROOT.toString("hex")).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(leafHash(Buffer.alloc(0)).toString("hex")).toBe(
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    );
    expect(leafHash(Buffer.from("L123456")).toString("hex")).toBe(
      "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56",
    );
    expect(nodeHash(Buffer.from("N123"), Buffer.from("N456")).toString("hex")).toBe(
      "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb",
    );
  });

  it("a leaf is never its children's node: domain separation", () => {
    const a = leafHash(Buffer.from("Hello"));
    const b = leafHash(Buffer.from("World"));
    expect(nodeHash(a, b).equals(leafHash(Buffer.concat([a, b])))).toBe(false);
    expect(nodeHash(a, b).equals(nodeHash(b, a))).toBe(false);
  });

  it("base64 hashes round-trip and anything but 32 canonical bytes is refused", () => {
    expect(hashFromBase64(toBase64(EMPTY_ROOT)).equals(EMPTY_ROOT)).toBe(true);
    expect(() => hashFromBase64("AAAA")).toThrow(/not a base64 SHA-256 hash/);
    expect(() => hashFromBase64(`${toBase64(EMPTY_ROOT).slice(0, -1)}`)).toThrow();
  });
});
