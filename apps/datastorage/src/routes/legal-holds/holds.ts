import { randomUUID } from "node:crypto";
import { execute } from "@kubernaut/db";
import { LEGAL_HOLD_EVENTS, type LegalHold } from "@kubernaut/schema";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../env.js";
import { appendCte } from "../../write/events.js";
import { ensureMonthPartitions } from "../../write/partitions.js";

type Executor = Pick<Db, "execute">;

/** Whether hold `h` holds now: as `legal_hold_on` judges it (not released, not expired by the database's clock). */
export const ACTIVE_HOLD = sql`(h.released_at IS NULL AND (h.expires_at IS NULL OR h.expires_at > now()))`;

/**
 * Holds as the API answers them, rendered by the database (so both drivers answer the same JSON).
 */
export function selectHolds(where: SQL): SQL {
  return sql`SELECT json_build_object(
      'id', h.id,
      'scope', CASE
        WHEN h.correlation_id IS NOT NULL THEN json_build_object('correlation_id', h.correlation_id)
        WHEN h.alert_fingerprint IS NOT NULL THEN json_build_object('alert_fingerprint', h.alert_fingerprint)
        ELSE json_build_object('from', h.from_time, 'to', h.to_time) END,
      'reason', h.reason,
      'requested_by', h.requested_by,
      'created_at', h.created_at,
      'expires_at', h.expires_at,
      'released_at', h.released_at,
      'released_by', h.released_by,
      'release_reason', h.release_reason,
      'active', ${ACTIVE_HOLD}
    ) AS hold
    FROM legal_holds h
    WHERE ${where}
    ORDER BY h.created_at DESC, h.id`;
}

export async function findHold(db: Executor, id: string): Promise<LegalHold | undefined> {
  return (await execute<{ hold: LegalHold }>(db, selectHolds(sql`h.id = ${id}::uuid`)))[0]?.hold;
}

/**
 * Appends the audit event of placing or releasing `hold` to `audit_events`, so the trail tells who held or
 * released what and why. It is filed under the held correlation id or fingerprint (a range hold under
 * `legal-hold:<id>`), with the alert's fingerprint where one is known, so it shows in that alert's timeline.
 */
export async function appendHoldEvent(
  tx: Executor,
  change: {
    kind: keyof typeof LEGAL_HOLD_EVENTS;
    hold: LegalHold;
    at: Date;
    principal: string | undefined;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  const { hold } = change;
  const scope = hold.scope;
  const correlationId =
    "correlation_id" in scope
      ? scope.correlation_id
      : "alert_fingerprint" in scope
        ? scope.alert_fingerprint
        : `legal-hold:${hold.id}`;
  const fingerprint =
    "alert_fingerprint" in scope
      ? scope.alert_fingerprint
      : "correlation_id" in scope
        ? await fingerprintOf(tx, scope.correlation_id)
        : "";
  const at = change.at.toISOString();
  const event = {
    event_id: randomUUID(),
    correlation_id: correlationId,
    alert_fingerprint: fingerprint,
    event_type: LEGAL_HOLD_EVENTS[change.kind],
    source: "datastorage" as const,
    occurred_at: at,
    payload: { hold_id: hold.id, scope, ...change.detail, principal: change.principal ?? null },
  };
  await ensureMonthPartitions(tx, change.at);
  await tx.execute(sql`WITH ${appendCte("appended", [{ event }], at)} SELECT count(*) FROM appended`);
}

/** The alert fingerprint of a correlation id's newest event, or "" before any arrived. */
async function fingerprintOf(tx: Executor, correlationId: string): Promise<string> {
  const [row] = await execute<{ alert_fingerprint: string }>(
    tx,
    sql`
      SELECT alert_fingerprint FROM audit_events
      WHERE correlation_id = ${correlationId} AND source <> 'datastorage'
      ORDER BY occurred_at DESC LIMIT 1`,
  );
  return row?.alert_fingerprint ?? "";
}
