import { hashFromBase64 } from "@kubernaut/tlog";
import { type AuditLogSource, SourceError, type SourceLeaf } from "./source.js";

interface ApiLeaf {
  leaf_index: number;
  event_id: string;
  leaf_hash: string;
  record: Record<string, unknown> | null;
  inclusion_proof?: string[];
}

/** A leaf of the service's answer; a malformed one is a SourceError naming the answer and the leaf. */
function toLeaf(leaf: ApiLeaf, answer: string): SourceLeaf {
  try {
    if (!Number.isSafeInteger(leaf.leaf_index) || leaf.leaf_index < 0)
      throw new Error(`leaf_index ${JSON.stringify(leaf.leaf_index)} is not a leaf index`);
    if (typeof leaf.event_id !== "string") throw new Error("event_id is not a string");
    return {
      leafIndex: leaf.leaf_index,
      eventId: leaf.event_id,
      leafHash: hashFromBase64(leaf.leaf_hash),
      record: leaf.record,
      ...(leaf.inclusion_proof === undefined
        ? {}
        : { inclusionProof: leaf.inclusion_proof.map(hashFromBase64) }),
    };
  } catch (err) {
    const which = `leaf ${JSON.stringify(leaf.leaf_index)} (event ${JSON.stringify(leaf.event_id)})`;
    throw new SourceError(`${answer}: ${which} is malformed: ${(err as Error).message}`);
  }
}

/** The storage service's proof API (`/api/v1/audit/…`), with an optional bearer token. */
export class HttpSource implements AuditLogSource {
  readonly name: string;

  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {
    this.name = `the service at ${baseUrl}`;
  }

  /**
   * GETs JSON; `null` for a 404 when `missingOk`. A 503 or 429 (the service busy for a moment, or its database) is
   * asked again after its `Retry-After` (at most 5 s), up to three times, before it counts as an answer.
   */
  private async get<T>(path: string, missingOk = false): Promise<T | null> {
    const url = new URL(path, this.baseUrl);
    let res: Response;
    for (let attempt = 1; ; attempt++) {
      try {
        res = await fetch(url, {
          headers: {
            accept: "application/json",
            ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          },
          signal: AbortSignal.timeout(120_000),
        });
      } catch (err) {
        throw new SourceError(`${url.href}: ${(err as Error).message}`);
      }
      if ((res.status !== 503 && res.status !== 429) || attempt > 3) break;
      await res.body?.cancel();
      const header = Number(res.headers.get("retry-after") ?? "1");
      const seconds = Number.isFinite(header) && header >= 0 ? Math.min(header, 5) : 1;
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
    if (missingOk && res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    const text = await res.text();
    if (!res.ok) {
      throw new SourceError(`${url.pathname}${url.search}: ${res.status} ${problemDetail(text)}`);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new SourceError(`${url.pathname}${url.search}: the answer is not JSON`);
    }
  }

  async latestCheckpoint(): Promise<string | null> {
    const latest = await this.get<{ note: string }>("/api/v1/audit/checkpoints/latest", true);
    return latest?.note ?? null;
  }

  async consistencyProof(from: number, to: number): Promise<Buffer[]> {
    const proof = await this.get<{ consistency_proof: string[] }>(
      `/api/v1/audit/consistency?from=${from}&to=${to}`,
    );
    return (proof?.consistency_proof ?? []).map(hashFromBase64);
  }

  async incidentLeaves(scope: { correlationId: string } | { fingerprint: string }, treeSize: number) {
    const query =
      "correlationId" in scope
        ? `correlation_id=${encodeURIComponent(scope.correlationId)}`
        : `fingerprint=${encodeURIComponent(scope.fingerprint)}`;
    const path = `/api/v1/audit/leaves?${query}&tree_size=${treeSize}`;
    const list = await this.get<{ items: ApiLeaf[] }>(path);
    return (list?.items ?? []).map((leaf) => toLeaf(leaf, path));
  }

  async leafRange(start: number, treeSize: number) {
    const path = `/api/v1/audit/leaves?start=${start}&limit=10000&tree_size=${treeSize}`;
    const page = await this.get<{ items: ApiLeaf[]; next_start: number | null }>(path);
    return { leaves: (page?.items ?? []).map((leaf) => toLeaf(leaf, path)), next: page?.next_start ?? null };
  }
}

/**
 * What the service's problem answer says: its `detail`, then each field error (`query.from: expected an RFC 3339
 * time`), or the first 300 characters of an answer that is not a problem.
 */
export function problemDetail(text: string): string {
  try {
    const problem = JSON.parse(text) as { detail?: string; errors?: { path?: string; message?: string }[] };
    const errors = (problem.errors ?? []).map((e) => `${e.path ?? ""}: ${e.message ?? ""}`);
    const detail = problem.detail ?? text.slice(0, 300);
    return errors.length === 0 ? detail : `${detail} (${errors.join("; ")})`;
  } catch {
    return text.slice(0, 300);
  }
}
