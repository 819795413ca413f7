import { recordLeafHash } from "./canonical.js";
import { type Hash, hashEquals } from "./hash.js";

/** A record whose stored form no longer hashes to its leaf. */
export interface AlteredEntry {
  id: string;
  leafIndex: number;
  leafHash: Hash;
  record: Record<string, unknown>;
}

/** Two records that each hash to their own leaf again once `fields` are exchanged between them. */
export interface Swap {
  a: AlteredEntry;
  b: AlteredEntry;
  fields: string[];
}

/**
 * Finds rows that were swapped rather than edited: pairs of altered records that both match their leaves again
 * when the values of one of `fieldSets` (e.g. the times that order a timeline), or of every field but `identity`
 * (the rows' contents), are exchanged. Each record takes part in one swap at most. O(k²) in the altered records.
 */
export function findSwaps(
  altered: readonly AlteredEntry[],
  fieldSets: readonly (readonly string[])[],
  identity: readonly string[],
): Swap[] {
  const swaps: Swap[] = [];
  const used = new Set<AlteredEntry>();
  const matches = (entry: AlteredEntry, record: Record<string, unknown>) =>
    hashEquals(recordLeafHash(record), entry.leafHash);
  for (const [i, a] of altered.entries()) {
    for (const b of altered.slice(i + 1)) {
      if (used.has(a) || used.has(b)) continue;
      const contents = Object.keys({ ...a.record, ...b.record }).filter((key) => !identity.includes(key));
      for (const fields of [...fieldSets, contents]) {
        const exchange = (to: Record<string, unknown>, from: Record<string, unknown>) => {
          const repaired: Record<string, unknown> = { ...to };
          for (const field of fields) {
            if (field in from) repaired[field] = from[field];
            else delete repaired[field];
          }
          return repaired;
        };
        if (matches(a, exchange(a.record, b.record)) && matches(b, exchange(b.record, a.record))) {
          swaps.push({ a, b, fields: [...fields] });
          used.add(a);
          used.add(b);
          break;
        }
      }
    }
  }
  return swaps;
}
