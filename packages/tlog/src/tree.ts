import { EMPTY_ROOT, type Hash, nodeHash } from "./hash.js";

/**
 * A perfect subtree of the log: the `2^level` leaves from `index · 2^level`. Level 0 is a leaf. Every proof
 * the log gives is made of the hashes of such subtrees, and each is written once, when it fills, and never
 * changes: that is what a log stores to answer proofs in O(log n) reads.
 */
export interface NodeId {
  level: number;
  index: number;
}

/** Reads the hashes of perfect subtrees that exist (fully inside the tree), in the order asked. */
export interface NodeReader {
  readNodes(ids: readonly NodeId[]): Promise<Hash[]>;
}

/** Leaf indexes and tree sizes are integers from 0 to 2^53 − 1, so plain numbers hold them exactly. */
export function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be an integer from 0 to 2^53-1 (got ${value})`);
  }
}

/** The largest power of two smaller than n (n ≥ 2): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees that make up the leaves [begin, end), left to right, each as large as its alignment
 * allows. For the ranges proofs use (a subtree of the RFC's recursion), folding their hashes from the right
 * gives MTH(D[begin:end]).
 */
export function rangeNodes(begin: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = begin;
  while (at < end) {
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= end) level++;
    nodes.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return nodes;
}

/** Folds the hashes of consecutive perfect subtrees from the right: the hash of the range they cover. */
export function foldRange(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_ROOT;
  let hash = hashes[hashes.length - 1] as Hash;
  for (let i = hashes.length - 2; i >= 0; i--) hash = nodeHash(hashes[i] as Hash, hash);
  return hash;
}

/** MTH of the leaves [begin, end), read from stored subtrees. */
export async function rangeHash(reader: NodeReader, begin: number, end: number): Promise<Hash> {
  return foldRange(await reader.readNodes(rangeNodes(begin, end)));
}

/** The root of the tree of `size` leaves, from at most log2(size) stored subtrees. */
export async function treeRoot(reader: NodeReader, size: number): Promise<Hash> {
  assertSize("tree size", size);
  return rangeHash(reader, 0, size);
}

/** A perfect subtree that filled when a leaf was appended. */
export interface FilledNode extends NodeId {
  hash: Hash;
}

/**
 * The right edge of a growing tree (a compact range from leaf 0): the hashes of the perfect subtrees that make
 * up its leaves, largest first. Appending a leaf merges equal-sized subtrees, and says which ones filled;
 * the root is their fold. The sealer keeps one in memory and stores what fills.
 */
export class Frontier {
  private constructor(
    private readonly nodes: FilledNode[],
    private count: number,
  ) {}

  static empty(): Frontier {
    return new Frontier([], 0);
  }

  /** The node ids to read to resume a tree of `size` leaves (see `Frontier.resume`). */
  static idsFor(size: number): NodeId[] {
    assertSize("tree size", size);
    return rangeNodes(0, size);
  }

  /** The frontier of a tree of `size` leaves, given the hashes of `Frontier.idsFor(size)`. */
  static resume(size: number, hashes: readonly Hash[]): Frontier {
    const ids = Frontier.idsFor(size);
    if (hashes.length !== ids.length) {
      throw new Error(`a tree of ${size} leaves needs ${ids.length} subtree hashes, got ${hashes.length}`);
    }
    return new Frontier(
      ids.map((id, i) => ({ ...id, hash: hashes[i] as Hash })),
      size,
    );
  }

  get size(): number {
    return this.count;
  }

  /** Appends one leaf hash; answers the perfect subtrees of level ≥ 1 that it filled, smallest first. */
  append(leaf: Hash): FilledNode[] {
    const filled: FilledNode[] = [];
    const index = this.count;
    let node: FilledNode = { level: 0, index, hash: leaf };
    for (
      let last = this.nodes.at(-1);
      last !== undefined && last.level === node.level;
      last = this.nodes.at(-1)
    ) {
      this.nodes.pop();
      const level = node.level + 1;
      node = { level, index: Math.floor(index / 2 ** level), hash: nodeHash(last.hash, node.hash) };
      filled.push(node);
    }
    this.nodes.push(node);
    this.count++;
    return filled;
  }

  root(): Hash {
    return foldRange(this.nodes.map((node) => node.hash));
  }

  clone(): Frontier {
    return new Frontier([...this.nodes], this.count);
  }
}
