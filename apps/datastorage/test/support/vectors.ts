import { seededRandom } from "./investigation-corpus.js";

/**
 * Deterministic pseudo-random unit vectors of 1536 dimensions, each value rounded to the 7 significant digits
 * a float4 keeps, so they travel as half the text.
 */
export function randomVectors(count: number, seed: number, dims = 1536): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    normalise(Array.from({ length: dims }, () => random() - 0.5)).map((v) => Number(v.toPrecision(7))),
  );
}

/** `vector` moved a little in a random direction: its nearest neighbour is still `vector`. */
export function nudge(vector: number[], amount: number, seed: number): number[] {
  const random = seededRandom(seed);
  return normalise(vector.map((v) => v + amount * (random() - 0.5)));
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

function normalise(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  return vector.map((v) => v / norm);
}

/** Indices of `candidates` by descending cosine similarity to `query`: the exact answer to compare with. */
export function exactRanking(query: readonly number[], candidates: readonly (readonly number[])[]): number[] {
  return candidates
    .map((candidate, index) => ({ index, similarity: cosine(query, candidate) }))
    .sort((a, b) => b.similarity - a.similarity)
    .map((entry) => entry.index);
}
