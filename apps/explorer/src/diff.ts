/** One field that differs between two JSON documents, at a dotted path (`service_crd_statuses.aiAnalysis.phase`). */
export interface FieldChange {
  path: string;
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The fields that changed from `before` to `after`, leaves only, in path order. Objects and arrays are compared
 * member by member, so a nested child snapshot that changed one field shows that one field; a value that
 * changes type (object to string, array to null) is one change at its own path.
 */
export function diffJson(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (Object.is(before, after)) return [];
  const bothObjects = isObject(before) && isObject(after);
  const bothArrays = Array.isArray(before) && Array.isArray(after);
  if (!bothObjects && !bothArrays) {
    if (before === undefined) return [{ path, kind: "added", after }];
    if (after === undefined) return [{ path, kind: "removed", before }];
    return [{ path, kind: "changed", before, after }];
  }
  const left = before as Record<string, unknown>;
  const right = after as Record<string, unknown>;
  const keys = bothArrays
    ? Array.from({ length: Math.max((before as unknown[]).length, (after as unknown[]).length) }, (_, i) =>
        String(i),
      )
    : [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return keys.flatMap((key) =>
    diffJson(
      Object.hasOwn(left, key) ? left[key] : undefined,
      Object.hasOwn(right, key) ? right[key] : undefined,
      path === "" ? key : `${path}.${key}`,
    ),
  );
}

/** The minimal fields of a timeline event the explorer reads. */
export interface TrailRecord {
  event_id: string;
  correlation_id: string;
  source: string;
  occurred_at: string;
  payload: Record<string, unknown>;
}

/** The resource a record describes: a controller's own CRD, named by the remediation it belongs to. */
export function resourceKey(record: TrailRecord): string {
  if (record.source === "ai-analysis") {
    const ns = record.payload.crd_namespace;
    const name = record.payload.crd_name;
    if (typeof ns === "string" && typeof name === "string") return `ai-analysis/${ns}/${name}`;
  }
  return `${record.source}/${record.correlation_id}`;
}

/** The record of the same resource just before `record` in `trail` (which is ordered by time), if any. */
export function previousOfSameResource<T extends TrailRecord>(trail: readonly T[], record: T): T | undefined {
  const index = trail.indexOf(record);
  const key = resourceKey(record);
  for (let i = index - 1; i >= 0; i--) {
    const candidate = trail[i];
    if (candidate !== undefined && resourceKey(candidate) === key) return candidate;
  }
  return undefined;
}

/** The write envelope's own fields differ on every record and say nothing about the resource. */
const ENVELOPE = new Set(["event_id", "occurred_at"]);

/**
 * The resource as the records up to `record` describe it: each record's fields laid over the earlier ones
 * (an AI analysis sends only what each trigger knows; the storage row merges them the same way).
 */
export function resourceStateAt<T extends TrailRecord>(
  trail: readonly T[],
  record: T,
): Record<string, unknown> {
  const key = resourceKey(record);
  const state: Record<string, unknown> = {};
  for (const candidate of trail.slice(0, trail.indexOf(record) + 1)) {
    if (resourceKey(candidate) !== key) continue;
    for (const [field, value] of Object.entries(candidate.payload))
      if (!ENVELOPE.has(field)) state[field] = value;
  }
  return state;
}

/**
 * What changed in `record`'s resource since its previous record in `trail`: the merged state before and
 * after this record. Everything is "added" for a resource's first record.
 */
export function diffWithPrevious<T extends TrailRecord>(
  trail: readonly T[],
  record: T,
): { previous: T | undefined; changes: FieldChange[] } {
  const previous = previousOfSameResource(trail, record);
  const before = previous === undefined ? {} : resourceStateAt(trail, previous);
  return { previous, changes: diffJson(before, resourceStateAt(trail, record)) };
}
