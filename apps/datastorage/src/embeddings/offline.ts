import { EMBEDDING_DIMENSIONS } from "@kubernaut/schema";
import type { Embedder } from "./embedder.js";
import { hashFeatures, l2Normalise } from "./feature-hash.js";

export const OFFLINE_EMBEDDING_MODEL = "kubernaut-hash-embedder-v1";

/**
 * How much each kind of feature counts once each kind is scaled to unit length. Words carry the topic,
 * word pairs the phrasing, and character trigrams keep a typo'd or renamed word close to the original.
 */
const KIND_WEIGHTS = { word: 0.5, pair: 0.3, trigram: 0.4 } as const;
type FeatureKind = keyof typeof KIND_WEIGHTS;

/**
 * A deterministic local embedder: feature hashing of normalised words, word pairs and character trigrams
 * with sub-linear term frequency, into 1536 signed buckets, L2-normalised. It needs no network and no model
 * files, and texts that share most of their wording (a reworded or re-ordered report of the same incident)
 * land close together; it does not know synonyms.
 */
export function createOfflineEmbedder(): Embedder {
  return {
    model: OFFLINE_EMBEDDING_MODEL,
    dimensions: EMBEDDING_DIMENSIONS,
    embed: async (texts) => texts.map(embedText),
  };
}

/** The embedding of one text; a text with no visible characters embeds to the zero vector. */
export function embedText(text: string): number[] {
  const words =
    text
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  const kinds: Record<FeatureKind, Map<string, number>> = {
    word: new Map(),
    pair: new Map(),
    trigram: new Map(),
  };
  if (words.length === 0) {
    // Only symbols: the symbols themselves are all there is to compare.
    for (const char of text.replace(/\s+/gu, "")) count(kinds.trigram, char);
  }
  words.forEach((word, i) => {
    count(kinds.word, word);
    const next = words[i + 1];
    if (next !== undefined) count(kinds.pair, `${word} ${next}`);
    const padded = `^${word}$`;
    for (let j = 0; j + 3 <= padded.length; j++) count(kinds.trigram, padded.slice(j, j + 3));
  });

  const vector = new Float64Array(EMBEDDING_DIMENSIONS);
  for (const kind of Object.keys(KIND_WEIGHTS) as FeatureKind[]) {
    const part = l2Normalise(hashFeatures(sublinear(kinds[kind], kind), EMBEDDING_DIMENSIONS));
    for (let i = 0; i < vector.length; i++)
      vector[i] = (vector[i] ?? 0) + KIND_WEIGHTS[kind] * (part[i] ?? 0);
  }
  return Array.from(l2Normalise(vector));
}

function count(counts: Map<string, number>, feature: string): void {
  counts.set(feature, (counts.get(feature) ?? 0) + 1);
}

/** 1 + ln(tf), keyed by kind so a word never shares a bucket assignment with an identical trigram. */
function sublinear(counts: Map<string, number>, kind: FeatureKind): Map<string, number> {
  const weighted = new Map<string, number>();
  for (const [feature, tf] of counts) weighted.set(`${kind}:${feature}`, 1 + Math.log(tf));
  return weighted;
}
