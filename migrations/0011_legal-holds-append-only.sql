-- Legal holds are kept for good in the database itself. Written by hand (drizzle-kit generate --custom):
-- drizzle-kit does not model functions or triggers.
--
-- A hold protects records only while its row says so: a row deleted or rewritten with SQL would let the held
-- records go. So a hold's row is never deleted or truncated, and the one change allowed is its release: released_at,
-- released_by and release_reason set once, every other column unchanged (what DELETE /api/v1/audit/legal-holds/:id
-- does). Like the append-only guard of audit_events, this stops mistakes and writers, not a database owner who
-- disables triggers; the hold's placement and release are also records of the tamper-evident log.
CREATE FUNCTION refuse_legal_hold_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Nested, not one condition: OLD is not assigned in the statement-level TRUNCATE trigger.
  IF TG_OP = 'UPDATE' THEN
    IF OLD.released_at IS NULL AND NEW.released_at IS NOT NULL
      AND (NEW.id, NEW.correlation_id, NEW.alert_fingerprint, NEW.from_time, NEW.to_time, NEW.reason,
           NEW.requested_by, NEW.created_at, NEW.expires_at)
        IS NOT DISTINCT FROM (OLD.id, OLD.correlation_id, OLD.alert_fingerprint, OLD.from_time, OLD.to_time,
           OLD.reason, OLD.requested_by, OLD.created_at, OLD.expires_at)
    THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'legal_holds is append-only: % is refused (a hold is only ever released, once)', TG_OP
    USING ERRCODE = 'restrict_violation',
      HINT = 'release a hold with DELETE /api/v1/audit/legal-holds/<id>';
END
$$;
--> statement-breakpoint
CREATE TRIGGER legal_holds_no_rewrite BEFORE UPDATE OR DELETE ON legal_holds
  FOR EACH ROW EXECUTE FUNCTION refuse_legal_hold_rewrite();
--> statement-breakpoint
CREATE TRIGGER legal_holds_no_rewrite_truncate BEFORE TRUNCATE ON legal_holds
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_legal_hold_rewrite();
