import { createHash } from "node:crypto";
import type { Hash, NodeId, NodeReader } from "../../src/index.js";

/**
 * RFC 6962 §2.1 written out as the RFC states it, on an array of leaf hashes and nothing else: the reference the
 * package's stored-subtree proofs are checked against. Deliberately naive (recursion over slices).
 */
const h = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
};

export const refLeaf = (data: Uint8Array): Buffer => h(Buffer.from([0]), data);
const refNode = (l: Uint8Array, r: Uint8Array): Buffer => h(Buffer.from([1]), l, r);

/** The largest power of two less than n. */
function k(n: number): number {
  return 2 ** Math.ceil(Math.log2(n) - 1);
}

export function refMth(d: readonly Buffer[]): Buffer {
  if (d.length === 0) return h();
  if (d.length === 1) return d[0] as Buffer;
  const split = k(d.length);
  return refNode(refMth(d.slice(0, split)), refMth(d.slice(split)));
}

export function refPath(m: number, d: readonly Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const split = k(d.length);
  return m < split
    ? [...refPath(m, d.slice(0, split)), refMth(d.slice(split))]
    : [...refPath(m - split, d.slice(split)), refMth(d.slice(0, split))];
}

function refSubproof(m: number, d: readonly Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [refMth(d)];
  const split = k(d.length);
  return m <= split
    ? [...refSubproof(m, d.slice(0, split), b), refMth(d.slice(split))]
    : [...refSubproof(m - split, d.slice(split), false), refMth(d.slice(0, split))];
}

export function refProof(m: number, d: readonly Buffer[]): Buffer[] {
  if (m === 0 || m === d.length) return [];
  return refSubproof(m, d, true);
}

/** A NodeReader over the leaf hashes themselves: each perfect subtree's MTH computed from its leaves. */
export function referenceReader(leaves: readonly Buffer[]): NodeReader & { reads: number } {
  const reader = {
    reads: 0,
    async readNodes(ids: readonly NodeId[]): Promise<Hash[]> {
      reader.reads++;
      return ids.map(({ level, index }) => {
        const begin = index * 2 ** level;
        const end = begin + 2 ** level;
        if (end > leaves.length)
          throw new Error(`node ${level}/${index} is not complete in ${leaves.length} leaves`);
        return refMth(leaves.slice(begin, end));
      });
    },
  };
  return reader;
}

/** `count` distinct leaf hashes. */
export function someLeaves(count: number, seed = 0): Buffer[] {
  return Array.from({ length: count }, (_, i) => refLeaf(Buffer.from(`leaf ${seed} ${i}`)));
}
