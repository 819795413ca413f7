import { setImmediate } from "node:timers/promises";
import { execute, tryWithAdvisoryLock } from "@kubernaut/db";
import { Frontier, type NoteSigner, signCheckpoint } from "@kubernaut/tlog";
import { sql } from "drizzle-orm";
import type { AppDeps, Db } from "../env.js";
import { publishCheckpoint } from "./publish.js";
import { parseSealedRecord, SEALED_RECORD, sealedLeafHash } from "./record.js";
import { readTreeHead, storedNodeReader } from "./store.js";

/** Records hashed between two turns of the event loop. */
const YIELD_EVERY = 32;

/** The advisory lock key of the sealer: one seals at a time across replicas. */
export const SEALER_LOCK_KEY = 7_244_531_002;

export type SealerDeps = Pick<AppDeps, "db" | "logger" | "metrics" | "config" | "clock"> & {
  /** The service's writes: while they are under way, the sealer waits (until SEAL_MAX_LAG behind). */
  writer?: { readonly busy: boolean };
};

/** What one call of `sealPending` did. */
export interface SealOutcome {
  /** Records appended to the log. */
  sealed: number;
  /** Leaves in the tree afterwards. */
  treeSize: number;
  /** Tree sizes of the checkpoints signed. */
  checkpoints: number[];
  /** Another replica's sealer held the lock: nothing was done. */
  busy: boolean;
  /** The pass stopped to leave the database to this replica's writes; what is left waits for the next pass. */
  deferred?: boolean;
}

interface PendingRow {
  seq: number;
  event_id: string;
  correlation_id: string;
  alert_fingerprint: string;
  record: string;
}

/**
 * The only writer of the audit log. Writes stay as they are (one statement, no hashing, no global counter); the
 * sealer reads committed rows in `seq` order and appends them as leaves 0, 1, 2, … of the RFC 6962 tree, with
 * the subtrees they fill, and signs a checkpoint every CHECKPOINT_EVERY leaves or CHECKPOINT_INTERVAL.
 *
 * Why the order is safe: `seq` comes from a sequence at insert time, so a lower number may commit after a higher
 * one. Before reading, the sealer takes a barrier: `LOCK TABLE audit_events IN SHARE MODE`, held only for one
 * `max(seq)`, waits out the writes in flight (it conflicts with their ROW EXCLUSIVE lock) and answers the
 * horizon below which every row that will ever exist has committed. Rows up to the horizon are read and sealed,
 * none skipped, none twice (`event_id` is unique among leaves, and each batch commits with its cursor, which is
 * the last leaf's `event_seq`). A crash loses only an uncommitted batch, which the next pass redoes.
 */
export class Sealer {
  private frontier: Frontier | null = null;
  private lastPublished = -1;

  constructor(
    private readonly deps: SealerDeps,
    private readonly signer: NoteSigner,
  ) {}

  /** Seals everything committed now, batch after batch; signs checkpoints as they fall due. */
  async sealPending(): Promise<SealOutcome> {
    const outcome: SealOutcome = { sealed: 0, treeSize: 0, checkpoints: [], busy: false };
    const head = await readTreeHead(this.deps.db);
    outcome.treeSize = head.size;
    if (await this.yieldToWrites()) return { ...outcome, deferred: true };
    const horizon = await this.horizon(head.lastSeq);
    if (horizon !== null) {
      for (;;) {
        if (outcome.sealed > 0 && (await this.yieldToWrites())) return { ...outcome, deferred: true };
        const batch = await this.sealBatch(horizon);
        if (batch.busy) return { ...outcome, busy: true };
        outcome.sealed += batch.sealed;
        outcome.treeSize = batch.treeSize;
        outcome.checkpoints.push(...batch.checkpoints);
        if (batch.sealed < this.deps.config.SEAL_BATCH_SIZE) break;
      }
    }
    const due = await this.checkpointIfDue();
    if (due !== null) outcome.checkpoints.push(due);
    await this.publishLatest();
    return outcome;
  }

  /**
   * Whether to leave the database to the writes under way on this replica: hashing and appending leaves compete
   * with them for the same cores, so the sealer waits while they run, unless the oldest record still unsealed
   * was received SEAL_MAX_LAG ago or more (0: never wait). A burst is sealed once it is over; under load that
   * lasts longer the sealer works beside the writes.
   */
  private async yieldToWrites(): Promise<boolean> {
    const { db, config, clock, writer } = this.deps;
    if (config.SEAL_MAX_LAG === 0 || writer?.busy !== true) return false;
    const [oldest] = await execute<{ received_at: Date | string }>(
      db,
      sql`SELECT received_at FROM audit_events
          WHERE seq > COALESCE((SELECT event_seq FROM audit_log_leaves ORDER BY leaf_index DESC LIMIT 1), 0)
          ORDER BY seq LIMIT 1`,
    );
    if (oldest === undefined) return false;
    return clock().getTime() - new Date(oldest.received_at).getTime() < config.SEAL_MAX_LAG;
  }

  /** The highest `seq` below which every row has committed, or null when nothing is visible past `after`. */
  private async horizon(after: number): Promise<number | null> {
    const { db } = this.deps;
    const [visible] = await execute<{ max: number | null }>(
      db,
      sql`SELECT max(seq) AS max FROM audit_events WHERE seq > ${after}`,
    );
    if (visible?.max === null || visible?.max === undefined) return null;
    return db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL lock_timeout = '5s'`);
      await tx.execute(sql`LOCK TABLE audit_events IN SHARE MODE`);
      const [row] = await execute<{ max: number }>(
        tx,
        sql`SELECT COALESCE(max(seq), 0) AS max FROM audit_events`,
      );
      return row?.max ?? 0;
    });
  }

  /**
   * One batch in one transaction, under the sealer's lock (held on the connection the transaction runs on): rows
   * after the cursor up to the horizon.
   */
  private async sealBatch(horizon: number): Promise<SealOutcome> {
    const { db, config } = this.deps;
    let next: Frontier | null = null;
    const attempt = await tryWithAdvisoryLock(db, SEALER_LOCK_KEY, (session) =>
      session.transaction(async (tx): Promise<SealOutcome> => {
        const head = await readTreeHead(tx);
        const frontier = (await this.frontierAt(tx, head.size)).clone();
        const rows = await execute<PendingRow>(
          tx,
          sql`
          SELECT e.seq, e.event_id, e.correlation_id, e.alert_fingerprint, ${SEALED_RECORD} AS record
          FROM audit_events e
          WHERE e.seq > ${head.lastSeq} AND e.seq <= ${horizon}
          ORDER BY e.seq
          LIMIT ${config.SEAL_BATCH_SIZE}`,
        );
        if (rows.length === 0) return { sealed: 0, treeSize: head.size, checkpoints: [], busy: false };
        const leaves = [];
        const nodes = [];
        for (const [i, row] of rows.entries()) {
          // Hashing is CPU work on the service's one thread: let requests in between every few records, so a
          // batch never holds them up for longer than that.
          if (i > 0 && i % YIELD_EVERY === 0) await setImmediate();
          const record = parseSealedRecord(row.record);
          const hash = sealedLeafHash(record);
          leaves.push({
            leaf_index: frontier.size,
            leaf_hash: hash.toString("hex"),
            event_id: row.event_id,
            correlation_id: row.correlation_id,
            alert_fingerprint: row.alert_fingerprint,
            event_seq: row.seq,
            occurred_at: record.occurred_at,
          });
          for (const node of frontier.append(hash)) {
            nodes.push({ level: node.level, node_index: node.index, hash: node.hash.toString("hex") });
          }
        }
        await tx.execute(sql`
        INSERT INTO audit_log_leaves (leaf_index, leaf_hash, event_id, correlation_id, alert_fingerprint, event_seq,
          occurred_at)
        SELECT r.leaf_index, decode(r.leaf_hash, 'hex'), r.event_id, r.correlation_id, r.alert_fingerprint, r.event_seq,
          r.occurred_at
        FROM jsonb_to_recordset(${JSON.stringify(leaves)}::jsonb) AS r(leaf_index bigint, leaf_hash text,
          event_id uuid, correlation_id text, alert_fingerprint text, event_seq bigint, occurred_at timestamptz)`);
        if (nodes.length > 0) {
          await tx.execute(sql`
          INSERT INTO audit_log_nodes (level, node_index, hash)
          SELECT r.level, r.node_index, decode(r.hash, 'hex')
          FROM jsonb_to_recordset(${JSON.stringify(nodes)}::jsonb) AS r(level smallint, node_index bigint, hash text)`);
        }
        const checkpoint = await this.checkpointIfDueIn(tx, frontier);
        next = frontier;
        return {
          sealed: rows.length,
          treeSize: frontier.size,
          checkpoints: checkpoint === null ? [] : [checkpoint],
          busy: false,
        };
      }),
    );
    const result: SealOutcome = attempt.acquired
      ? attempt.value
      : { sealed: 0, treeSize: 0, checkpoints: [], busy: true };
    // Only a committed batch moves the frontier this process keeps.
    if (next !== null) this.frontier = next;
    if (result.sealed > 0) {
      this.deps.metrics.auditLogLeaves.inc(result.sealed);
      this.deps.metrics.auditLogTreeSize.set(result.treeSize);
    }
    for (const _ of result.checkpoints) this.deps.metrics.auditLogCheckpoints.inc({ outcome: "written" });
    return result;
  }

  /** The frontier of the tree of `size` leaves: the one kept in memory, or read back from the stored subtrees. */
  private async frontierAt(db: Pick<Db, "execute">, size: number): Promise<Frontier> {
    if (this.frontier?.size === size) return this.frontier;
    const hashes = await storedNodeReader(db).readNodes(Frontier.idsFor(size));
    this.frontier = Frontier.resume(size, hashes);
    return this.frontier;
  }

  /** Signs a checkpoint of the whole tree when one is due (inside the sealing transaction). */
  private async checkpointIfDueIn(tx: Pick<Db, "execute">, frontier: Frontier): Promise<number | null> {
    const { config, clock } = this.deps;
    const [last] = await execute<{ tree_size: number; created_at: Date | string }>(
      tx,
      sql`SELECT tree_size, created_at FROM audit_log_checkpoints ORDER BY tree_size DESC LIMIT 1`,
    );
    const lastSize = last?.tree_size ?? 0;
    if (frontier.size <= lastSize) return null;
    const age =
      last === undefined ? Number.POSITIVE_INFINITY : clock().getTime() - new Date(last.created_at).getTime();
    if (frontier.size - lastSize < config.CHECKPOINT_EVERY && age < config.CHECKPOINT_INTERVAL) return null;
    const root = frontier.root();
    const note = signCheckpoint({ origin: this.signer.name, size: frontier.size, root }, this.signer);
    await tx.execute(sql`
      INSERT INTO audit_log_checkpoints (tree_size, root_hash, note, created_at)
      VALUES (${frontier.size}, decode(${root.toString("hex")}, 'hex'), ${note}, ${clock().toISOString()}::timestamptz)`);
    return frontier.size;
  }

  /** A checkpoint of the tree as sealed, when CHECKPOINT_INTERVAL has passed since the last (or none exists). */
  private async checkpointIfDue(): Promise<number | null> {
    const { db } = this.deps;
    const attempt = await tryWithAdvisoryLock(db, SEALER_LOCK_KEY, (session) =>
      session.transaction(async (tx) => {
        const head = await readTreeHead(tx);
        return this.checkpointIfDueIn(tx, await this.frontierAt(tx, head.size));
      }),
    );
    const signed = attempt.acquired ? attempt.value : null;
    if (signed !== null) this.deps.metrics.auditLogCheckpoints.inc({ outcome: "written" });
    return signed;
  }

  /** Publishes the newest checkpoint outside the database if this process has not yet; a failure is retried next pass. */
  private async publishLatest(): Promise<void> {
    const { config, db, logger, metrics } = this.deps;
    if (config.CHECKPOINT_PUBLISH_DIR === undefined && config.CHECKPOINT_WEBHOOK_URL === undefined) return;
    const [latest] = await execute<{ tree_size: number; root_hash: string; note: string }>(
      db,
      sql`SELECT tree_size, encode(root_hash, 'base64') AS root_hash, note
        FROM audit_log_checkpoints ORDER BY tree_size DESC LIMIT 1`,
    );
    if (latest === undefined || latest.tree_size <= this.lastPublished) return;
    try {
      await publishCheckpoint(config, { origin: this.signer.name, ...latest });
      this.lastPublished = latest.tree_size;
      metrics.auditLogCheckpoints.inc({ outcome: "published" });
    } catch (err) {
      metrics.auditLogCheckpoints.inc({ outcome: "publish_failed" });
      logger.error(
        { err, treeSize: latest.tree_size },
        "could not publish the audit log checkpoint; retrying next pass",
      );
    }
  }
}

/** Runs the sealer every SEAL_INTERVAL (passes never overlap). Answers a stop function that waits for the pass. */
export function startSealer(deps: SealerDeps, signer: NoteSigner): () => Promise<void> {
  const { config, logger } = deps;
  if (!config.SEALER_ENABLED) {
    logger.warn(
      "the audit log sealer is disabled (SEALER_ENABLED=false): records are not sealed or checkpointed",
    );
    return async () => {};
  }
  const sealer = new Sealer(deps, signer);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    current = sealer
      .sealPending()
      .then((outcome) => {
        if (outcome.sealed > 0 || outcome.checkpoints.length > 0) {
          logger.debug(outcome, "audit log sealed");
        }
      })
      .catch((err: unknown) => logger.error({ err }, "audit log sealing pass failed; retrying"))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, config.SEAL_INTERVAL).unref();
      });
  };
  timer = setTimeout(tick, 0).unref();
  logger.info(
    {
      origin: signer.name,
      intervalMs: config.SEAL_INTERVAL,
      checkpointEvery: config.CHECKPOINT_EVERY,
      checkpointIntervalMs: config.CHECKPOINT_INTERVAL,
    },
    "audit log sealer started",
  );
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}
