-- An UPDATE cannot take a held row out of its hold. Written by hand (drizzle-kit generate --custom): drizzle-kit
-- does not model functions or triggers.
--
-- The DELETE and TRUNCATE triggers (migrations legal-hold-triggers, partitioned-projections) refuse to delete a
-- held row, but what a hold covers is read from the row itself: renaming its remediation, changing its
-- fingerprint, or moving created_at/updated_at out of a time range took the row out of its hold with SQL, and it
-- could then be deleted. So an UPDATE of a projection or archive row is refused when the row is held before it and
-- no longer held after it. audit_events refuses every UPDATE already (migration audit-log-append-only).
--
-- The write path upserts projection rows all the time (a later record moves updated_at forward and never changes
-- the row's key), so each trigger fires only WHEN a column that decides coverage changes in a way that could leave
-- a hold: the correlation column (remediation_name or remediation_id), alert_fingerprint or created_at changes, or
-- the end of the row's time span (updated_at, else created_at) moves earlier. Like the DELETE triggers of the
-- partitioned tables, the function reads the columns by name (a partition's rows have its own row type);
-- TG_ARGV[0] is the table, its projection naming the correlation column (projection_correlation).
CREATE FUNCTION refuse_update_out_of_hold() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  covered text := format('SELECT legal_hold_on((%s)::text, r.alert_fingerprint::text, r.created_at, '
    || 'COALESCE(r.updated_at, r.created_at)) FROM (SELECT ($1).*) r',
    projection_correlation(regexp_replace(TG_ARGV[0], '_archive$', '')));
  hold uuid;
  still uuid;
BEGIN
  EXECUTE covered INTO hold USING OLD;
  IF hold IS NOT NULL THEN
    EXECUTE covered INTO still USING NEW;
    IF still IS NULL THEN
      RAISE EXCEPTION 'a row of % is under legal hold %: an update cannot take it out of the hold', TG_ARGV[0], hold
        USING ERRCODE = 'restrict_violation',
          HINT = 'release the hold first (DELETE /api/v1/audit/legal-holds/' || hold || ')';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Row triggers on a partitioned table apply to every partition, present and future.
CREATE TRIGGER remediation_audit_legal_hold_update BEFORE UPDATE ON remediation_audit
  FOR EACH ROW WHEN (OLD.remediation_name IS DISTINCT FROM NEW.remediation_name
    OR OLD.alert_fingerprint IS DISTINCT FROM NEW.alert_fingerprint OR OLD.created_at IS DISTINCT FROM NEW.created_at
    OR COALESCE(NEW.updated_at, NEW.created_at) < COALESCE(OLD.updated_at, OLD.created_at))
  EXECUTE FUNCTION refuse_update_out_of_hold('remediation_audit');
--> statement-breakpoint
CREATE TRIGGER remediation_audit_archive_legal_hold_update BEFORE UPDATE ON remediation_audit_archive
  FOR EACH ROW WHEN (OLD.remediation_name IS DISTINCT FROM NEW.remediation_name
    OR OLD.alert_fingerprint IS DISTINCT FROM NEW.alert_fingerprint OR OLD.created_at IS DISTINCT FROM NEW.created_at
    OR COALESCE(NEW.updated_at, NEW.created_at) < COALESCE(OLD.updated_at, OLD.created_at))
  EXECUTE FUNCTION refuse_update_out_of_hold('remediation_audit_archive');
--> statement-breakpoint
CREATE TRIGGER alert_processing_audit_legal_hold_update BEFORE UPDATE ON alert_processing_audit
  FOR EACH ROW WHEN (OLD.remediation_id IS DISTINCT FROM NEW.remediation_id
    OR OLD.alert_fingerprint IS DISTINCT FROM NEW.alert_fingerprint OR OLD.created_at IS DISTINCT FROM NEW.created_at
    OR COALESCE(NEW.updated_at, NEW.created_at) < COALESCE(OLD.updated_at, OLD.created_at))
  EXECUTE FUNCTION refuse_update_out_of_hold('alert_processing_audit');
--> statement-breakpoint
CREATE TRIGGER alert_processing_audit_archive_legal_hold_update BEFORE UPDATE ON alert_processing_audit_archive
  FOR EACH ROW WHEN (OLD.remediation_id IS DISTINCT FROM NEW.remediation_id
    OR OLD.alert_fingerprint IS DISTINCT FROM NEW.alert_fingerprint OR OLD.created_at IS DISTINCT FROM NEW.created_at
    OR COALESCE(NEW.updated_at, NEW.created_at) < COALESCE(OLD.updated_at, OLD.created_at))
  EXECUTE FUNCTION refuse_update_out_of_hold('alert_processing_audit_archive');
--> statement-breakpoint
CREATE TRIGGER ai_analysis_audit_legal_hold_update BEFORE UPDATE ON ai_analysis_audit
  FOR EACH ROW WHEN (OLD.remediation_id IS DISTINCT FROM NEW.remediation_id
    OR OLD.alert_fingerprint IS DISTINCT FROM NEW.alert_fingerprint OR OLD.created_at IS DISTINCT FROM NEW.created_at
    OR COALESCE(NEW.updated_at, NEW.created_at) < COALESCE(OLD.updated_at, OLD.created_at))
  EXECUTE FUNCTION refuse_update_out_of_hold('ai_analysis_audit');
--> statement-breakpoint
CREATE TRIGGER ai_analysis_audit_archive_legal_hold_update BEFORE UPDATE ON ai_analysis_audit_archive
  FOR EACH ROW WHEN (OLD.remediation_id IS DISTINCT FROM NEW.remediation_id
    OR OLD.alert_fingerprint IS DISTINCT FROM NEW.alert_fingerprint OR OLD.created_at IS DISTINCT FROM NEW.created_at
    OR COALESCE(NEW.updated_at, NEW.created_at) < COALESCE(OLD.updated_at, OLD.created_at))
  EXECUTE FUNCTION refuse_update_out_of_hold('ai_analysis_audit_archive');
