/**
 * FNV-1a over the UTF-16 code units of a string, then murmur3's 32-bit finaliser: FNV-1a alone leaves the low
 * bits (which pick the bucket) poorly mixed for short keys such as character trigrams.
 */
export function hash32(key: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Adds each feature's weight into one of `dimensions` buckets with a ±1 sign from an independent hash, so that
 * colliding features cancel out on average instead of inflating similarity.
 */
export function hashFeatures(features: ReadonlyMap<string, number>, dimensions: number): Float64Array {
  const vector = new Float64Array(dimensions);
  for (const [feature, weight] of features) {
    const bucket = hash32(feature) % dimensions;
    const sign = hash32(feature, 0x9747b28c) & 1 ? 1 : -1;
    vector[bucket] = (vector[bucket] ?? 0) + sign * weight;
  }
  return vector;
}

/** Scales to unit length in place; a zero vector stays zero. */
export function l2Normalise(vector: Float64Array): Float64Array {
  let sumOfSquares = 0;
  for (const value of vector) sumOfSquares += value * value;
  if (sumOfSquares === 0) return vector;
  const norm = Math.sqrt(sumOfSquares);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}
