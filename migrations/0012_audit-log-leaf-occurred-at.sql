-- Each leaf keeps when its record occurred, so a time-range export still finds the leaf of a record deleted since
-- (and exports it without its record, which a verifier reports). Leaves sealed before this migration take it from
-- their record, where it is still stored; the append-only guard is lifted for that one statement.
ALTER TABLE "audit_log_leaves" ADD COLUMN "occurred_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "audit_log_leaves" DISABLE TRIGGER "audit_log_leaves_no_rewrite";
--> statement-breakpoint
UPDATE "audit_log_leaves" l SET "occurred_at" = e."occurred_at" FROM "audit_events" e WHERE e."event_id" = l."event_id";
--> statement-breakpoint
ALTER TABLE "audit_log_leaves" ENABLE TRIGGER "audit_log_leaves_no_rewrite";
