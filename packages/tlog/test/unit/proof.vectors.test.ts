import { describe, expect, it } from "vitest";
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from "../../src/index.js";
import { referenceReader } from "../support/reference.js";

/**
 * The published test vectors of RFC 6962 trees (transparency-dev/merkle proof/verify_test.go, from the
 * certificate-transparency reference): eight leaves, the root of every prefix, inclusion and consistency proofs.
 */
const hex = (s: string) => Buffer.from(s, "hex");
const LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map((data) => leafHash(hex(data)));
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
].map(hex);
/** (1-based leaf, tree size, proof) */
const INCLUSION: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    6,
    8,
    [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
  [3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
  [
    2,
    5,
    [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
];
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    6,
    8,
    [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
  [
    2,
    5,
    [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
  [
    6,
    7,
    [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
];

const flip = (proof: Buffer[], i: number) =>
  proof.map((p, j) => (j === i ? Buffer.from(p.map((b, k) => (k === 0 ? b ^ 8 : b))) : p));

describe("RFC 6962 test vectors", () => {
  it("the root of every prefix of the eight leaves", async () => {
    for (let size = 1; size <= 8; size++) {
      const reader = referenceReader(LEAVES.slice(0, size));
      expect((await treeRoot(reader, size)).toString("hex")).toBe(ROOTS[size - 1]?.toString("hex"));
    }
    expect((await treeRoot(referenceReader([]), 0)).equals(EMPTY_ROOT)).toBe(true);
  });

  it.each(INCLUSION)(
    "inclusion of leaf %i in a tree of %i: generated and verified",
    async (leaf, size, expected) => {
      const reader = referenceReader(LEAVES.slice(0, size));
      const proof = await inclusionProof(reader, leaf - 1, size);
      expect(proof.map((p) => p.toString("hex"))).toEqual(expected);
      const root = ROOTS[size - 1] as Buffer;
      const leafHashValue = LEAVES[leaf - 1] as Buffer;
      expect(() => verifyInclusion(leaf - 1, size, leafHashValue, proof, root)).not.toThrow();
      // Every corruption of the vector fails (the reference suite's probes).
      const bad: [number, number, Buffer, Buffer[], Buffer][] = [
        [leaf, size, leafHashValue, proof, root],
        [leaf - 1, size * 2, leafHashValue, proof, root],
        [leaf - 1, size, Buffer.from("WrongLeaf".padEnd(32)), proof, root],
        [leaf - 1, size, leafHashValue, proof, EMPTY_ROOT],
        [leaf - 1, size, leafHashValue, [...proof, root], root],
        [leaf - 1, size, leafHashValue, [root, ...proof], root],
        ...proof.map((_, i): [number, number, Buffer, Buffer[], Buffer] => [
          leaf - 1,
          size,
          leafHashValue,
          flip(proof, i),
          root,
        ]),
      ];
      if (leaf >= 2) bad.push([leaf - 2, size, leafHashValue, proof, root]);
      if (proof.length > 0) bad.push([leaf - 1, size, leafHashValue, proof.slice(0, -1), root]);
      for (const [index, treeSize, hash, path, expectedRoot] of bad) {
        expect(() => verifyInclusion(index, treeSize, hash, path, expectedRoot)).toThrow();
      }
    },
  );

  it.each(CONSISTENCY)("consistency from %i to %i: generated and verified", async (from, to, expected) => {
    const reader = referenceReader(LEAVES.slice(0, to));
    const proof = await consistencyProof(reader, from, to);
    expect(proof.map((p) => p.toString("hex"))).toEqual(expected);
    const fromRoot = ROOTS[from - 1] as Buffer;
    const toRoot = ROOTS[to - 1] as Buffer;
    expect(() => verifyConsistency(from, to, proof, fromRoot, toRoot)).not.toThrow();
    if (proof.length === 0) return;
    const bad: [number, number, Buffer[], Buffer, Buffer][] = [
      [from - 1, to, proof, fromRoot, toRoot],
      [from + 1, to, proof, fromRoot, toRoot],
      [from, to * 2, proof, fromRoot, toRoot],
      [from, to, proof, toRoot, fromRoot],
      [from, to, [], fromRoot, toRoot],
      [from, to, [...proof, fromRoot], fromRoot, toRoot],
      [from, to, [toRoot, ...proof], fromRoot, toRoot],
      [from, to, proof.slice(0, -1), fromRoot, toRoot],
      ...proof.map((_, i): [number, number, Buffer[], Buffer, Buffer] => [
        from,
        to,
        flip(proof, i),
        fromRoot,
        toRoot,
      ]),
    ];
    for (const [m, n, path, r1, r2] of bad) expect(() => verifyConsistency(m, n, path, r1, r2)).toThrow();
  });

  it("edge cases: a shrinking tree, the empty tree, equal sizes", () => {
    const r = ROOTS[0] as Buffer;
    expect(() => verifyConsistency(2, 1, [], r, r)).toThrow(/shrank/);
    expect(() => verifyConsistency(0, 5, [], EMPTY_ROOT, r)).not.toThrow();
    expect(() => verifyConsistency(3, 3, [], r, r)).not.toThrow();
    expect(() => verifyConsistency(3, 3, [], r, ROOTS[1] as Buffer)).toThrow(/two different roots/);
    expect(() => verifyInclusion(0, 0, r, [], r)).toThrow(/not in a tree of 0/);
  });
});
