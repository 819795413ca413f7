import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";

/**
 * One row per retention run, scheduled or one-shot: what it moved from each audit table to its archive.
 * Invariant: `moved` counts only rows whose archive copy and deletion committed together; `held` counts the
 * expired rows of each table that an active legal hold kept in place.
 */
export const retentionRuns = pgTable(
  "retention_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trigger: varchar("trigger", { length: 20 }).notNull(),
    dryRun: boolean("dry_run").notNull(),
    retentionDays: integer("retention_days").notNull(),
    cutoff: timestamp("cutoff", { withTimezone: true, mode: "date" }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
    status: varchar("status", { length: 20 }).notNull(),
    moved: jsonb("moved").$type<Record<string, number>>().notNull().default({}),
    held: jsonb("held").$type<Record<string, number>>().notNull().default({}),
    error: text("error"),
  },
  (t) => [index("idx_retention_runs_started_at").on(t.startedAt)],
);

export type RetentionRunRow = typeof retentionRuns.$inferSelect;
