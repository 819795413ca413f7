import type { Hash } from "@kubernaut/tlog";

/** One leaf of the log as a source gives it: nothing in it is trusted until it is proven. */
export interface SourceLeaf {
  leafIndex: number;
  eventId: string;
  /** The leaf hash the source claims. */
  leafHash: Hash;
  /** The record the source holds for the leaf; null when it has none (deleted). */
  record: Record<string, unknown> | null;
  /** The inclusion proof in the tree asked for (incident listings only). */
  inclusionProof?: Hash[];
}

/** Which records to check: one incident (by correlation id or alert fingerprint), or every leaf of the tree. */
export type Scope = { correlationId: string } | { fingerprint: string } | { all: true };

/**
 * Where the log's data comes from. The verifier trusts none of it: every answer is checked against checkpoints
 * signed by the key the reviewer holds. The service's HTTP API is one source; an export bundle can be another.
 */
export interface AuditLogSource {
  /** Names the source in messages. */
  readonly name: string;
  /** The source's newest signed checkpoint note, or null when it has none. */
  latestCheckpoint(): Promise<string | null>;
  /** The consistency proof from the tree of `from` leaves to the tree of `to` leaves. */
  consistencyProof(from: number, to: number): Promise<Hash[]>;
  /** The leaves of one incident within the tree of `treeSize` leaves, each with its inclusion proof. */
  incidentLeaves(
    scope: { correlationId: string } | { fingerprint: string },
    treeSize: number,
  ): Promise<SourceLeaf[]>;
  /** Leaves `start`… (a page) of the tree of `treeSize` leaves; `next` is the next page's start, or null. */
  leafRange(start: number, treeSize: number): Promise<{ leaves: SourceLeaf[]; next: number | null }>;
}

/** The source could not answer (unreachable, refused, malformed): not a verdict on the log. */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SourceError";
  }
}
