import { seededRandom } from "@kubernaut/testing/fixtures";
import { describe, expect, it } from "vitest";
import { createEmbedder } from "../../src/embeddings/embedder.js";
import { createOfflineEmbedder, OFFLINE_EMBEDDING_MODEL } from "../../src/embeddings/offline.js";
import { distinctInvestigations, perturb } from "../support/investigation-corpus.js";

const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

describe("offline embedder", () => {
  const embedder = createOfflineEmbedder();

  it("is the default and names its model and 1536 dimensions", () => {
    const chosen = createEmbedder({
      EMBEDDER: "offline",
      EMBEDDINGS_URL: undefined,
      EMBEDDINGS_API_KEY: undefined,
      EMBEDDINGS_MODEL: undefined,
    });
    expect(chosen.model).toBe(OFFLINE_EMBEDDING_MODEL);
    expect(chosen.dimensions).toBe(1536);
  });

  it("is deterministic: the same text gives the same vector, across calls and instances", async () => {
    const text = "Pod checkout-7d9f8 was OOMKilled after memory reached its 512Mi limit.";
    const [first] = await embedder.embed([text]);
    const [second] = await createOfflineEmbedder().embed([text]);
    expect(first).toHaveLength(1536);
    expect(second).toEqual(first);
    // Pinned coordinates catch an accidental change of the hashing, which would silently break stored rows.
    const nonZero = (first ?? []).flatMap((v, i) => (v === 0 ? [] : [i]));
    expect(nonZero.length).toBeGreaterThan(20);
    expect(nonZero.slice(0, 5)).toMatchInlineSnapshot(`
      [
        1,
        33,
        85,
        86,
        90,
      ]
    `);
  });

  it("answers one unit-length vector per text, in order", async () => {
    const texts = [
      "Disk pressure on node worker-3",
      "DNS SERVFAIL from CoreDNS",
      "!!! ???",
      "ünïcödé Тест 中文",
    ];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(vector).toHaveLength(1536);
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(norm(vector)).toBeCloseTo(1, 10);
    }
    const [alone] = await embedder.embed([texts[1] as string]);
    expect(vectors[1]).toEqual(alone);
  });

  it("ignores case and punctuation, and gives a blank text the zero vector", async () => {
    const [a, b, blank] = await embedder.embed([
      "Node NotReady: kubelet stopped",
      "node notready kubelet stopped",
      "  \n",
    ]);
    expect(dot(a ?? [], b ?? [])).toBeCloseTo(1, 10);
    expect(blank?.every((v) => v === 0)).toBe(true);
  });

  it("ranks each perturbed copy of 50 distinct investigations closest to its original", async () => {
    const originals = distinctInvestigations();
    expect(new Set(originals).size).toBe(50);
    const random = seededRandom(42);
    const copies = originals.map((text) => perturb(text, random));
    const originalVectors = await embedder.embed(originals);
    const copyVectors = await embedder.embed(copies);

    const misses: string[] = [];
    copyVectors.forEach((copy, i) => {
      const scores = originalVectors.map((original) => dot(copy, original));
      const best = scores.indexOf(Math.max(...scores));
      if (best !== i) misses.push(`copy ${i} ranked original ${best} first: ${copies[i]}`);
    });
    expect(misses).toEqual([]);
  });

  it("scores a reworded report of the same incident above a different incident in the same service", async () => {
    const [original, reworded, other] = await embedder.embed([
      "Container checkout in pod checkout-7d9f8 was OOMKilled 12 times; memory reached the 512Mi limit.",
      "checkout-6c2a1 OOMKilled again (13 times): memory hit the 512Mi limit of container checkout.",
      "Pod checkout-7d9f8 is in CrashLoopBackOff: it cannot read config map checkout-config.",
    ]);
    expect(dot(original ?? [], reworded ?? [])).toBeGreaterThan(dot(original ?? [], other ?? []) + 0.1);
  });
});
