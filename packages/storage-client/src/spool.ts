import { mkdir, open, readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "./logger.js";
import { identityOf, type RecordIdentity } from "./record-identity.js";

/** A record read back from disk: its JSON as written, and its identity for log lines. */
export interface SpooledRecord {
  json: string;
  identity: RecordIdentity;
}

/**
 * One append-only JSON-lines file of the spool. It is deleted once every record in it was settled
 * (acknowledged or rejected by the service, or written again to a newer segment).
 */
export class SpoolSegment {
  /** Complete records in the file. */
  records = 0;
  settled = 0;
  /** Records in the file that are not held in memory. */
  backlog = 0;
  /** No more appends; may be loaded and deleted. */
  sealed = false;
  loaded = false;

  constructor(
    readonly seq: number,
    readonly file: string,
  ) {}
}

interface AppendJob {
  lines: readonly string[];
  inMemory: boolean;
  resolve: (segments: SpoolSegment[]) => void;
  reject: (error: unknown) => void;
}

const SEGMENT_NAME = /^(\d{12})\.jsonl$/;
const NEWLINE = 0x0a;

/**
 * A directory of numbered segments. Appends are group-committed: every append waiting while a write is in
 * progress goes into the next write, followed by one `fdatasync`. After a kill -9 the last line of the last
 * segment may be cut short; reading skips it.
 */
export class Spool {
  private readonly segments: SpoolSegment[] = [];
  private active: { segment: SpoolSegment; handle: Awaited<ReturnType<typeof open>> } | undefined;
  private nextSeq = 1;
  private readonly jobs: AppendJob[] = [];
  private writing: Promise<void> | undefined;
  private readonly unlinks = new Set<Promise<void>>();
  private backlogTotal = 0;
  readonly ready: Promise<void>;

  constructor(
    readonly dir: string,
    private readonly segmentMaxRecords: number,
    private readonly logger: Logger,
  ) {
    this.ready = this.scan();
  }

  /** Durably appends `lines`; resolves with the segment each line went to. */
  append(lines: readonly string[], inMemory: boolean): Promise<SpoolSegment[]> {
    return new Promise((resolve, reject) => {
      this.jobs.push({ lines, inMemory, resolve, reject });
      this.writing ??= this.writeJobs().finally(() => {
        this.writing = undefined;
      });
    });
  }

  /** Resolves when every append made so far is on disk (or failed). */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** The oldest sealed segment not loaded yet. */
  nextSealed(): SpoolSegment | undefined {
    return this.segments.find((s) => s.sealed && !s.loaded);
  }

  /** True if the segment being written holds records that are only on disk. */
  activeHasBacklog(): boolean {
    return (this.active?.segment.backlog ?? 0) > 0;
  }

  /** Seals the segment being written so that it can be loaded. */
  async seal(): Promise<void> {
    await this.idle();
    await this.sealActive();
  }

  /** Reads a sealed segment's records and marks them as held in memory. Unreadable lines are skipped. */
  async load(segment: SpoolSegment): Promise<SpooledRecord[]> {
    segment.loaded = true;
    const text = await readFile(segment.file, "utf8");
    const records: SpooledRecord[] = [];
    let skipped = 0;
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const identity = identityOfLine(line);
      if (identity) records.push({ json: line, identity });
      else skipped++;
    }
    if (skipped > 0) {
      this.logger.warn({ file: segment.file, skipped }, "skipped unreadable spool lines (a cut-short write)");
    }
    segment.records = records.length;
    this.backlogTotal -= segment.backlog;
    segment.backlog = 0;
    this.deleteIfSettled(segment);
    return records;
  }

  settle(segment: SpoolSegment, count = 1): void {
    segment.settled += count;
    this.deleteIfSettled(segment);
  }

  /** Records on disk whose delivery is not settled: what the next start replays. */
  unsettled(): number {
    return this.segments.reduce((sum, s) => sum + Math.max(0, s.records - s.settled), 0);
  }

  /** Records on disk and not in memory. */
  backlog(): number {
    return this.backlogTotal;
  }

  async close(): Promise<void> {
    await this.seal();
    while (this.unlinks.size > 0) await Promise.all(this.unlinks);
  }

  private async scan(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const names = (await readdir(this.dir)).filter((n) => SEGMENT_NAME.test(n)).sort();
    for (const name of names) {
      const seq = Number(SEGMENT_NAME.exec(name)?.[1]);
      const segment = new SpoolSegment(seq, join(this.dir, name));
      segment.sealed = true;
      segment.records = countCompleteLines(await readFile(segment.file));
      segment.backlog = segment.records;
      this.backlogTotal += segment.backlog;
      this.segments.push(segment);
      this.nextSeq = seq + 1;
    }
    for (const segment of [...this.segments]) this.deleteIfSettled(segment);
  }

  private async writeJobs(): Promise<void> {
    await this.ready.catch(() => {});
    for (let jobs = this.jobs.splice(0); jobs.length > 0; jobs = this.jobs.splice(0)) {
      const placed = jobs.map(() => [] as SpoolSegment[]);
      try {
        // Lines fill the active segment up to its size, then a new one; each file gets one write and one sync.
        let pending: { job: number; line: string }[] = jobs.flatMap((job, i) =>
          job.lines.map((line) => ({ job: i, line })),
        );
        while (pending.length > 0) {
          const active = await this.activeSegment();
          const room = Math.max(1, this.segmentMaxRecords - active.segment.records);
          const chunk = pending.slice(0, room);
          pending = pending.slice(room);
          await this.writeChunk(active, chunk.map((c) => `${c.line}\n`).join(""));
          active.segment.records += chunk.length;
          for (const { job } of chunk) {
            placed[job]?.push(active.segment);
            if (!jobs[job]?.inMemory) {
              active.segment.backlog++;
              this.backlogTotal++;
            }
          }
        }
        jobs.forEach((job, i) => {
          job.resolve(placed[i] ?? []);
        });
      } catch (error) {
        for (const job of jobs) job.reject(error);
      }
    }
  }

  private async writeChunk(active: NonNullable<Spool["active"]>, text: string): Promise<void> {
    try {
      await active.handle.write(text);
      await active.handle.datasync();
    } catch (error) {
      // A failed write may leave half a line; later appends must not be glued to it.
      await this.sealActive().catch(() => {});
      throw error;
    }
  }

  private async activeSegment(): Promise<NonNullable<Spool["active"]>> {
    if (this.active && this.active.segment.records < this.segmentMaxRecords) return this.active;
    await this.sealActive();
    const seq = this.nextSeq++;
    const segment = new SpoolSegment(seq, join(this.dir, `${String(seq).padStart(12, "0")}.jsonl`));
    const handle = await open(segment.file, "a");
    await syncDirectory(this.dir);
    this.segments.push(segment);
    this.active = { segment, handle };
    return this.active;
  }

  private async sealActive(): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.active = undefined;
    active.segment.sealed = true;
    this.deleteIfSettled(active.segment);
    await active.handle.close();
  }

  private deleteIfSettled(segment: SpoolSegment): void {
    if (!segment.sealed || segment.settled < segment.records || segment.backlog > 0) return;
    const index = this.segments.indexOf(segment);
    if (index < 0) return;
    this.segments.splice(index, 1);
    const removal = unlink(segment.file)
      .catch((error: unknown) => {
        this.logger.error({ file: segment.file, err: error }, "cannot delete a delivered spool segment");
      })
      .finally(() => {
        this.unlinks.delete(removal);
      });
    this.unlinks.add(removal);
  }
}

/** The identity of a complete line holding a record with its kind and event id; a cut-short line fails to parse. */
function identityOfLine(line: string): RecordIdentity | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const record = value as Record<string, unknown>;
    if (typeof record.kind !== "string" || typeof record.event_id !== "string") return undefined;
    return identityOf(record);
  } catch {
    return undefined;
  }
}

function countCompleteLines(data: Buffer): number {
  let count = 0;
  let start = 0;
  for (let i = data.indexOf(NEWLINE); i >= 0; i = data.indexOf(NEWLINE, i + 1)) {
    if (i > start) count++;
    start = i + 1;
  }
  return count;
}

/** Makes a new file's directory entry durable, not just its data. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse to sync a directory; the file's data is synced regardless.
  } finally {
    await handle.close();
  }
}
