import { HASH_SIZE, type Hash, hashEquals, nodeHash } from "./hash.js";
import { assertSize, foldRange, type NodeId, type NodeReader, rangeNodes, splitPoint } from "./tree.js";

/** A range of leaves [begin, end) whose MTH is one element of a proof. */
type Range = readonly [begin: number, end: number];

/** RFC 6962 §2.1.1 PATH(m, D[lo:hi]): the ranges whose hashes prove leaf m, deepest first. */
function pathRanges(m: number, lo: number, hi: number, out: Range[]): Range[] {
  if (hi - lo <= 1) return out;
  const k = splitPoint(hi - lo);
  if (m < lo + k) {
    pathRanges(m, lo, lo + k, out);
    out.push([lo + k, hi]);
  } else {
    pathRanges(m, lo + k, hi, out);
    out.push([lo, lo + k]);
  }
  return out;
}

/** RFC 6962 §2.1.2 SUBPROOF(m, D[lo:hi], b). */
function subproofRanges(m: number, lo: number, hi: number, complete: boolean, out: Range[]): Range[] {
  const n = hi - lo;
  if (m === n) {
    if (!complete) out.push([lo, hi]);
    return out;
  }
  const k = splitPoint(n);
  if (m <= k) {
    subproofRanges(m, lo, lo + k, complete, out);
    out.push([lo + k, hi]);
  } else {
    subproofRanges(m - k, lo + k, hi, false, out);
    out.push([lo, lo + k]);
  }
  return out;
}

/** The stored subtrees each range needs, read in one call, folded into one hash per range. */
async function hashRanges(reader: NodeReader, ranges: readonly Range[]): Promise<Hash[]> {
  const perRange = ranges.map(([begin, end]) => rangeNodes(begin, end));
  const unique = new Map<string, NodeId>();
  for (const ids of perRange) for (const id of ids) unique.set(`${id.level}/${id.index}`, id);
  const ids = [...unique.values()];
  const hashes = await reader.readNodes(ids);
  const byKey = new Map(ids.map((id, i) => [`${id.level}/${id.index}`, hashes[i] as Hash]));
  return perRange.map((rangeIds) =>
    foldRange(rangeIds.map((id) => byKey.get(`${id.level}/${id.index}`) as Hash)),
  );
}

/** The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 6962 §2.1.1), from stored subtrees. */
export async function inclusionProof(reader: NodeReader, index: number, size: number): Promise<Hash[]> {
  assertSize("leaf index", index);
  assertSize("tree size", size);
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`);
  return hashRanges(reader, pathRanges(index, 0, size, []));
}

/** The inclusion proofs of many leaves of one tree, reading every stored subtree they need in one call. */
export async function inclusionProofs(
  reader: NodeReader,
  indexes: readonly number[],
  size: number,
): Promise<Hash[][]> {
  assertSize("tree size", size);
  const paths = indexes.map((index) => {
    assertSize("leaf index", index);
    if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`);
    return pathRanges(index, 0, size, []);
  });
  const hashes = await hashRanges(reader, paths.flat());
  let at = 0;
  return paths.map((path) => {
    const proof = hashes.slice(at, at + path.length);
    at += path.length;
    return proof;
  });
}

/** The consistency proof from the tree of `from` leaves to the tree of `to` leaves (RFC 6962 §2.1.2). */
export async function consistencyProof(reader: NodeReader, from: number, to: number): Promise<Hash[]> {
  assertSize("from", from);
  assertSize("to", to);
  if (from > to) throw new RangeError(`a tree of ${from} leaves cannot precede one of ${to}`);
  if (from === 0 || from === to) return [];
  return hashRanges(reader, subproofRanges(from, 0, to, true, []));
}

/** Why a proof does not verify. */
export class ProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProofError";
  }
}

function checkHashes(proof: readonly Uint8Array[]): void {
  for (const [i, hash] of proof.entries()) {
    if (hash.length !== HASH_SIZE) throw new ProofError(`proof element ${i} is not a 32-byte hash`);
  }
}

const odd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or a ProofError when its length does not fit the
 * leaf's position in a tree of that size.
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Hash {
  assertSize("leaf index", index);
  assertSize("tree size", size);
  if (index >= size) throw new ProofError(`leaf ${index} is not in a tree of ${size} leaves`);
  if (leaf.length !== HASH_SIZE) throw new ProofError("the leaf hash is not 32 bytes");
  checkHashes(proof);
  let fn = index;
  let sn = size - 1;
  let r: Hash = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) throw new ProofError(`the proof is longer than a tree of ${size} leaves needs`);
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError(`the proof is shorter than a tree of ${size} leaves needs`);
  return r;
}

/** Throws a ProofError unless `proof` shows leaf `index` with hash `leaf` in the tree of `size` with `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  if (!hashEquals(computed, root)) {
    throw new ProofError(`leaf ${index} is not in the tree of ${size} leaves with that root`);
  }
}

/**
 * Throws a ProofError unless `proof` shows that the tree of `from` leaves with root `fromRoot` is a prefix of
 * the tree of `to` leaves with root `toRoot` (RFC 9162 §2.1.4.2).
 */
export function verifyConsistency(
  from: number,
  to: number,
  proof: readonly Uint8Array[],
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
): void {
  assertSize("from", from);
  assertSize("to", to);
  checkHashes(proof);
  if (from > to) throw new ProofError(`the tree shrank from ${from} to ${to} leaves`);
  if (from === to) {
    if (proof.length !== 0) throw new ProofError("trees of equal size need an empty proof");
    if (!hashEquals(fromRoot, toRoot))
      throw new ProofError(`two different roots for a tree of ${from} leaves`);
    return;
  }
  if (from === 0) {
    if (proof.length !== 0) throw new ProofError("the empty tree needs an empty proof");
    return;
  }
  if (proof.length === 0) throw new ProofError(`no proof given from ${from} to ${to} leaves`);
  const path = [...proof];
  // A `from` that is a power of two is a subtree of `to` itself: its root opens the path.
  if (isPowerOfTwo(from)) path.unshift(Buffer.from(fromRoot));
  let fn = from - 1;
  let sn = to - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Hash = Buffer.from(path[0] as Uint8Array);
  let sr: Hash = Buffer.from(path[0] as Uint8Array);
  for (const c of path.slice(1)) {
    if (sn === 0) throw new ProofError(`the proof is longer than ${from} to ${to} leaves needs`);
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError(`the proof is shorter than ${from} to ${to} leaves needs`);
  if (!hashEquals(fr, fromRoot)) {
    throw new ProofError(
      `the tree of ${from} leaves is not a prefix of the tree of ${to} leaves (first root differs)`,
    );
  }
  if (!hashEquals(sr, toRoot)) {
    throw new ProofError(
      `the tree of ${from} leaves is not a prefix of the tree of ${to} leaves (second root differs)`,
    );
  }
}
