import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  consistencyProof,
  Frontier,
  type Hash,
  inclusionProof,
  inclusionProofs,
  type NodeId,
  type NodeReader,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from "../../src/index.js";
import { referenceReader, refMth, refPath, refProof, someLeaves } from "../support/reference.js";

/** A reader over what a Frontier stored as it grew: the leaves, plus every subtree it reported filled. */
function storedReader(leaves: readonly Buffer[]): { reader: NodeReader; frontier: Frontier; roots: Hash[] } {
  const nodes = new Map<string, Hash>();
  const frontier = Frontier.empty();
  const roots: Hash[] = [frontier.root()];
  for (const leaf of leaves) {
    for (const node of frontier.append(leaf)) nodes.set(`${node.level}/${node.index}`, node.hash);
    roots.push(frontier.root());
  }
  const reader: NodeReader = {
    async readNodes(ids: readonly NodeId[]) {
      return ids.map(({ level, index }) => {
        const hash = level === 0 ? leaves[index] : nodes.get(`${level}/${index}`);
        if (hash === undefined) throw new Error(`node ${level}/${index} was never stored`);
        return hash;
      });
    },
  };
  return { reader, frontier, roots };
}

const hex = (proof: readonly Buffer[]) => proof.map((p) => p.toString("hex"));

describe("proofs from stored subtrees against the RFC's own recursion", () => {
  it("every leaf of every tree up to 70 leaves, and every pair of sizes", async () => {
    const leaves = someLeaves(70);
    const { reader, roots } = storedReader(leaves);
    for (let size = 0; size <= leaves.length; size++) {
      const d = leaves.slice(0, size);
      const root = refMth(d);
      expect(roots[size]?.toString("hex")).toBe(root.toString("hex"));
      expect((await treeRoot(reader, size)).toString("hex")).toBe(root.toString("hex"));
      for (let m = 0; m < size; m++) {
        const proof = await inclusionProof(reader, m, size);
        expect(hex(proof)).toEqual(hex(refPath(m, d)));
        verifyInclusion(m, size, d[m] as Buffer, proof, root);
      }
      for (let m = 0; m <= size; m++) {
        const proof = await consistencyProof(reader, m, size);
        expect(hex(proof)).toEqual(hex(refProof(m, d)));
        verifyConsistency(m, size, proof, refMth(d.slice(0, m)), root);
      }
    }
  }, 120_000); // exhaustive: seconds alone, longer on a loaded machine

  it("random trees up to 3000 leaves: same proofs as the reference, verified, tampering caught", async () => {
    const leaves = someLeaves(3000, 1);
    const { reader } = storedReader(leaves);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3000 }), fc.nat(), fc.nat(), async (size, a, b) => {
        const d = leaves.slice(0, size);
        const root = refMth(d);
        const m = a % size;
        const proof = await inclusionProof(reader, m, size);
        expect(hex(proof)).toEqual(hex(refPath(m, d)));
        verifyInclusion(m, size, d[m] as Buffer, proof, root);
        if (size > 1) {
          expect(() => verifyInclusion((m + 1) % size, size, d[m] as Buffer, proof, root)).toThrow();
        }
        const from = b % (size + 1);
        const consistency = await consistencyProof(reader, from, size);
        expect(hex(consistency)).toEqual(hex(refProof(from, d)));
        const fromRoot = refMth(d.slice(0, from));
        verifyConsistency(from, size, consistency, fromRoot, root);
        if (from > 0 && from < size) {
          // A log that rewrote any leaf before `from` cannot prove itself consistent.
          const forged = [...d];
          const at = b % from;
          forged[at] = someLeaves(1, 99)[0] as Buffer;
          expect(() => verifyConsistency(from, size, consistency, fromRoot, refMth(forged))).toThrow();
        }
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it("many proofs at once: the same proofs, one read", async () => {
    const leaves = someLeaves(777, 3);
    const reader = referenceReader(leaves);
    const indexes = [0, 5, 6, 400, 776, 5];
    const proofs = await inclusionProofs(reader, indexes, 777);
    expect(reader.reads).toBe(1);
    expect(proofs.map(hex)).toEqual(indexes.map((m) => hex(refPath(m, leaves))));
  }, 120_000); // exhaustive: seconds alone, longer on a loaded machine

  it("a proof reads each stored subtree once, in one call", async () => {
    const leaves = someLeaves(1000);
    const reader = referenceReader(leaves);
    await inclusionProof(reader, 517, 1000);
    await consistencyProof(reader, 333, 1000);
    expect(reader.reads).toBe(2);
  });

  it("a frontier resumed from stored subtrees goes on as if it had never stopped", () => {
    const leaves = someLeaves(300, 2);
    const { reader: _unused, frontier } = storedReader(leaves.slice(0, 137));
    const ids = Frontier.idsFor(137);
    expect(ids.map((id) => `${id.level}/${id.index}`)).toEqual(["7/0", "3/16", "0/136"]);
    const resumed = Frontier.resume(
      137,
      ids.map(({ level, index }) => refMth(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level))),
    );
    expect(resumed.root().equals(frontier.root())).toBe(true);
    for (const leaf of leaves.slice(137)) resumed.append(leaf);
    expect(resumed.root().equals(refMth(leaves))).toBe(true);
    expect(resumed.size).toBe(300);
  });
});
