import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * What a column's PostgreSQL type cannot hold, derived from the Drizzle column (its SQL type, length, precision):
 * values the database refuses or would store as something else. `unusable` are values it stores but that a read
 * cannot use (a vector whose cosine similarity is undefined).
 */
export interface Probe {
  value: unknown;
  why: string;
  unusable?: boolean;
}

const INT4 = 2 ** 31;
const BAD_TEXT: Probe[] = [
  { value: "a\u0000b", why: "NUL" },
  { value: "x\uD800", why: "an unpaired high surrogate" },
  { value: "\uDC00x", why: "an unpaired low surrogate" },
];
const BAD_TIMES: Probe[] = [
  { value: "0000-01-01T00:00:00Z", why: "year 0" },
  { value: "0001-01-01T00:30:00+15:59", why: "year 0 once in UTC" },
  { value: "2026-01-01T00:00:00+16:00", why: "an offset beyond +15:59" },
  { value: "2026-01-01T00:00:00-16:00", why: "an offset beyond -15:59" },
];

/** A vector of `dimensions` elements, `value` at `at` (or everywhere) and 0 elsewhere. */
export function vectorOf(dimensions: number, value: number, at: number | "all" = 0): number[] {
  return Array.from({ length: dimensions }, (_, i) => (at === "all" || i === at ? value : 0));
}

/**
 * The probes of a column. For `jsonb`, `example` (a storable value of the column) is copied with one string or key
 * at a time made unstorable; without it, a few generic objects.
 */
export function unstorable(column: PgColumn, example?: unknown): Probe[] {
  const type = column.getSQLType();
  if (type === "integer" || type === "serial") {
    return [
      { value: INT4, why: "beyond int4" },
      { value: -INT4 - 1, why: "below int4" },
      { value: 1.5, why: "not an integer" },
    ];
  }
  if (type === "bigint" || type === "bigserial") {
    return [
      { value: 1e19, why: "beyond int8" },
      { value: -1e19, why: "below int8" },
      { value: 0.5, why: "not an integer" },
    ];
  }
  if (type === "text") return BAD_TEXT;
  if (type === "text[]")
    return BAD_TEXT.map(({ value, why }) => ({ value: ["ok", value], why: `${why} in an element` }));
  if (type === "uuid") return [{ value: "not-a-uuid", why: "not a UUID" }];
  const varchar = /^varchar\((\d+)\)$/.exec(type);
  if (varchar)
    return [...BAD_TEXT, { value: "x".repeat(Number(varchar[1]) + 1), why: "longer than its length" }];
  const numeric = /^numeric\((\d+), (\d+)\)$/.exec(type);
  if (numeric) {
    const limit = 10 ** (Number(numeric[1]) - Number(numeric[2]));
    return [
      { value: limit, why: `${limit} overflows ${type}` },
      { value: -limit, why: `${-limit} overflows ${type}` },
    ];
  }
  if (type.startsWith("timestamp")) return BAD_TIMES;
  const vector = /^vector\((\d+)\)$/.exec(type);
  if (vector) {
    const n = Number(vector[1]);
    return [
      { value: vectorOf(n - 1, 1), why: "one dimension short" },
      { value: vectorOf(n + 1, 1), why: "one dimension too many" },
      { value: vectorOf(n, 1e39), why: "an element beyond float4" },
      { value: vectorOf(n, 0, "all"), why: "all zeros: no direction", unusable: true },
      { value: vectorOf(n, 1e-30), why: "a squared length that underflows float4", unusable: true },
      { value: vectorOf(n, 3e38, "all"), why: "a squared length that overflows float4", unusable: true },
    ];
  }
  if (type === "jsonb") return example === undefined ? GENERIC_JSON : jsonProbes(example);
  return [];
}

const GENERIC_JSON: Probe[] = [
  { value: { "k\u0000": 1 }, why: "NUL in a key" },
  { value: { k: "a\u0000b" }, why: "NUL in a string" },
  { value: { k: "x\uD800" }, why: "an unpaired surrogate in a string" },
  { value: { "\uDC00": 1 }, why: "an unpaired surrogate in a key" },
];

/** `example` with, in turn, each string and each key of it made unstorable. */
function jsonProbes(example: unknown): Probe[] {
  const probes: Probe[] = [];
  const visit = (node: unknown, rebuild: (replacement: unknown) => unknown, path: string): void => {
    if (typeof node === "string") {
      probes.push({ value: rebuild(`${node}\u0000`), why: `NUL in the string at ${path}` });
      probes.push({ value: rebuild(`${node}\uD800`), why: `an unpaired surrogate in the string at ${path}` });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => {
        visit(item, (r) => rebuild(node.map((x, j) => (j === i ? r : x))), `${path}[${i}]`);
      });
    } else if (node !== null && typeof node === "object") {
      const entries = Object.entries(node);
      for (const [key, item] of entries) {
        const renamed = Object.fromEntries(entries.map(([k, v]) => [k === key ? `${k}\u0000` : k, v]));
        probes.push({ value: rebuild(renamed), why: `NUL in the key ${path}.${key}` });
        visit(item, (r) => rebuild({ ...node, [key]: r }), `${path}.${key}`);
      }
    }
  };
  visit(example, (r) => r, "$");
  return probes;
}
