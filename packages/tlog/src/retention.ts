import { NoteError, type NoteSigner, type NoteVerifier, openOriginNote, signOriginNote } from "./note.js";

/**
 * The storage service's retention job may delete old `audit_events` records (never their leaves). For each step
 * that deleted records, it appends a record of this type under this correlation id, which is sealed like any
 * other: a verifier tells a record deleted by retention from a missing one on the log's own word. The record
 * carries a statement of the exact leaves it deleted, signed with the log's key: someone who can write to the
 * database but does not hold the key cannot excuse a deletion of their own.
 */
export const RETENTION_DELETED_EVENT = "retention.deleted";
export const RETENTION_CORRELATION_ID = "kubernaut:retention";
export const RETENTION_NOTE_FORMAT = "kubernaut-audit/retention/v1";

/** A half-open range of leaf indices, [from, to). */
export type LeafRange = readonly [from: number, to: number];

/** What one retention step deleted, as the service signs it (the signed note is the record's `payload.note`). */
export interface RetentionStatement {
  /** The log's origin: the name of the key that signs its checkpoints. */
  origin: string;
  /** The retention record's own `event_id`: the statement is bound to the record that carries it. */
  eventId: string;
  runId: string;
  /** Records received before this time went. */
  cutoff: string;
  /** The leaves whose records it deleted, ascending and apart. */
  leaves: readonly LeafRange[];
}

/** The statement's note text: the format line, then `origin`, `event`, `run`, `cutoff` and a `leaves` line per range. */
export function retentionNoteText(statement: RetentionStatement): string {
  const lines = [
    RETENTION_NOTE_FORMAT,
    `origin ${statement.origin}`,
    `event ${statement.eventId}`,
    `run ${statement.runId}`,
    `cutoff ${statement.cutoff}`,
  ];
  let previous = -1;
  for (const [from, to] of statement.leaves) {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from <= previous || to <= from)
      throw new NoteError(`retention statement: leaf ranges must ascend apart, got [${from}, ${to})`);
    lines.push(`leaves ${from} ${to}`);
    previous = to;
  }
  return `${lines.join("\n")}\n`;
}

/** Parses a statement's note text; throws a NoteError naming what is malformed. */
export function parseRetentionNote(text: string): RetentionStatement {
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : [];
  if (lines[0] !== RETENTION_NOTE_FORMAT)
    throw new NoteError(`malformed retention statement: the first line must be ${RETENTION_NOTE_FORMAT}`);
  const field = (i: number, name: string) => {
    const value = new RegExp(`^${name} (\\S+)$`).exec(lines[i] ?? "")?.[1];
    if (value === undefined) throw new NoteError(`malformed retention statement: no ${name} line`);
    return value;
  };
  const statement = {
    origin: field(1, "origin"),
    eventId: field(2, "event"),
    runId: field(3, "run"),
    cutoff: field(4, "cutoff"),
    leaves: lines.slice(5).map((line): LeafRange => {
      const match = /^leaves (0|[1-9][0-9]*) ([1-9][0-9]*)$/.exec(line);
      if (match === null) throw new NoteError(`malformed retention statement: line ${JSON.stringify(line)}`);
      return [Number(match[1]), Number(match[2])];
    }),
  };
  retentionNoteText(statement); // the ranges' order
  return statement;
}

export function signRetentionStatement(statement: RetentionStatement, signer: NoteSigner): string {
  return signOriginNote(retentionNoteText(statement), statement.origin, signer);
}

/** Opens a signed retention statement: its signature by `verifier`, then its lines. Throws a NoteError. */
export function openRetentionStatement(note: string, verifier: NoteVerifier): RetentionStatement {
  return openOriginNote(note, verifier, parseRetentionNote, "retention statement");
}

/** Sorted leaf indices as ranges: [3, 4, 5, 9] → [[3, 6], [9, 10]]. */
export function leafRanges(indices: readonly number[]): LeafRange[] {
  const ranges: [number, number][] = [];
  for (const index of indices) {
    const last = ranges.at(-1);
    if (last !== undefined && index === last[1]) last[1] = index + 1;
    else if (last === undefined || index > last[1]) ranges.push([index, index + 1]);
  }
  return ranges;
}

/** The leaves retention run `runId` deleted the records of (those received before `cutoff`, not held). */
export interface RetentionRange {
  runId: string;
  cutoff: string;
  leaves: readonly LeafRange[];
}

/**
 * The leaves a sealed retention record vouches for, or null when `record` is not one or its statement is not
 * signed by `verifier` for this very record. They are capped at the record's own leaf index: it vouches only for
 * leaves sealed before it. The caller must have proved that the record hashes to its leaf in a signed tree.
 */
export function retentionRangeOf(
  record: Record<string, unknown>,
  leafIndex: number,
  verifier: NoteVerifier,
): RetentionRange | null {
  if (record.event_type !== RETENTION_DELETED_EVENT || record.correlation_id !== RETENTION_CORRELATION_ID)
    return null;
  const note = ((record.payload ?? {}) as Record<string, unknown>).note;
  if (typeof note !== "string") return null;
  let statement: RetentionStatement;
  try {
    statement = openRetentionStatement(note, verifier);
  } catch {
    return null;
  }
  if (statement.eventId !== record.event_id) return null;
  return {
    runId: statement.runId,
    cutoff: statement.cutoff,
    leaves: statement.leaves
      .map(([from, to]): LeafRange => [from, Math.min(to, leafIndex)])
      .filter(([from, to]) => from < to),
  };
}

/** The retention record that vouches for `leafIndex`, if any. */
export function retainedBy(ranges: readonly RetentionRange[], leafIndex: number): RetentionRange | undefined {
  return ranges.find((r) => r.leaves.some(([from, to]) => leafIndex >= from && leafIndex < to));
}
