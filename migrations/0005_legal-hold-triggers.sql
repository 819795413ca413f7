-- Legal holds in the database itself: a held row cannot be deleted, by the retention job or by anyone with SQL.
-- Written by hand (drizzle-kit generate --custom): drizzle-kit does not model functions or triggers.
--
-- legal_hold_on(row) answers the id of an active hold covering the row, or NULL: the one definition of what a
-- hold covers, called by the BEFORE DELETE / BEFORE TRUNCATE triggers below and by the retention job. A hold is
-- active until released or until its expires_at passes (by the database's clock). It covers a row
--   - by correlation id: the remediation's name (ai_analysis_audit: remediation_id, else the fingerprint), as
--     audit_events.correlation_id is derived by the write path;
--   - by alert fingerprint;
--   - by time range (both ends inclusive): an audit event by occurred_at; a projection row when its
--     created_at..updated_at overlaps the range.
CREATE FUNCTION legal_hold_on(correlation text, fingerprint text, first_at timestamptz, last_at timestamptz)
RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT h.id FROM legal_holds h
  WHERE h.released_at IS NULL AND (h.expires_at IS NULL OR h.expires_at > now())
    AND (h.correlation_id = correlation OR h.alert_fingerprint = fingerprint
         OR (h.from_time <= last_at AND h.to_time >= first_at))
  ORDER BY h.created_at, h.id
  LIMIT 1
$$;
--> statement-breakpoint
CREATE FUNCTION legal_hold_on(r audit_events) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT legal_hold_on(r.correlation_id, r.alert_fingerprint, r.occurred_at, r.occurred_at)
$$;
--> statement-breakpoint
CREATE FUNCTION legal_hold_on(r remediation_audit) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT legal_hold_on(r.remediation_name, r.alert_fingerprint, r.created_at, COALESCE(r.updated_at, r.created_at))
$$;
--> statement-breakpoint
CREATE FUNCTION legal_hold_on(r remediation_audit_archive) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT legal_hold_on(r.remediation_name, r.alert_fingerprint, r.created_at, COALESCE(r.updated_at, r.created_at))
$$;
--> statement-breakpoint
CREATE FUNCTION legal_hold_on(r alert_processing_audit) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT legal_hold_on(r.remediation_id, r.alert_fingerprint, r.created_at, COALESCE(r.updated_at, r.created_at))
$$;
--> statement-breakpoint
CREATE FUNCTION legal_hold_on(r alert_processing_audit_archive) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT legal_hold_on(r.remediation_id, r.alert_fingerprint, r.created_at, COALESCE(r.updated_at, r.created_at))
$$;
--> statement-breakpoint
CREATE FUNCTION legal_hold_on(r ai_analysis_audit) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT legal_hold_on(COALESCE(NULLIF(r.remediation_id, ''), r.alert_fingerprint), r.alert_fingerprint,
    r.created_at, COALESCE(r.updated_at, r.created_at))
$$;
--> statement-breakpoint
CREATE FUNCTION legal_hold_on(r ai_analysis_audit_archive) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT legal_hold_on(COALESCE(NULLIF(r.remediation_id, ''), r.alert_fingerprint), r.alert_fingerprint,
    r.created_at, COALESCE(r.updated_at, r.created_at))
$$;
--> statement-breakpoint
-- One trigger function for every table: PL/pgSQL compiles it per table, so OLD has that table's row type and
-- the matching legal_hold_on overload is chosen.
CREATE FUNCTION refuse_delete_of_held_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  hold uuid := legal_hold_on(OLD);
BEGIN
  IF hold IS NOT NULL THEN
    RAISE EXCEPTION 'a row of % is under legal hold %: it cannot be deleted', TG_TABLE_NAME, hold
      USING ERRCODE = 'restrict_violation',
        HINT = 'release the hold first (DELETE /api/v1/audit/legal-holds/' || hold || ')';
  END IF;
  RETURN OLD;
END
$$;
--> statement-breakpoint
-- TRUNCATE fires no row trigger: refuse it while any row of the table is held.
CREATE FUNCTION refuse_truncate_of_held_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  hold uuid;
BEGIN
  EXECUTE format('SELECT legal_hold_on(t) FROM %I.%I t WHERE legal_hold_on(t) IS NOT NULL LIMIT 1',
    TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO hold;
  IF hold IS NOT NULL THEN
    RAISE EXCEPTION 'rows of % are under legal hold %: the table cannot be truncated', TG_TABLE_NAME, hold
      USING ERRCODE = 'restrict_violation',
        HINT = 'release the hold first (DELETE /api/v1/audit/legal-holds/' || hold || ')';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_legal_hold BEFORE DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION refuse_delete_of_held_row();
--> statement-breakpoint
CREATE TRIGGER remediation_audit_legal_hold BEFORE DELETE ON remediation_audit
  FOR EACH ROW EXECUTE FUNCTION refuse_delete_of_held_row();
--> statement-breakpoint
CREATE TRIGGER remediation_audit_archive_legal_hold BEFORE DELETE ON remediation_audit_archive
  FOR EACH ROW EXECUTE FUNCTION refuse_delete_of_held_row();
--> statement-breakpoint
CREATE TRIGGER alert_processing_audit_legal_hold BEFORE DELETE ON alert_processing_audit
  FOR EACH ROW EXECUTE FUNCTION refuse_delete_of_held_row();
--> statement-breakpoint
CREATE TRIGGER alert_processing_audit_archive_legal_hold BEFORE DELETE ON alert_processing_audit_archive
  FOR EACH ROW EXECUTE FUNCTION refuse_delete_of_held_row();
--> statement-breakpoint
CREATE TRIGGER ai_analysis_audit_legal_hold BEFORE DELETE ON ai_analysis_audit
  FOR EACH ROW EXECUTE FUNCTION refuse_delete_of_held_row();
--> statement-breakpoint
CREATE TRIGGER ai_analysis_audit_archive_legal_hold BEFORE DELETE ON ai_analysis_audit_archive
  FOR EACH ROW EXECUTE FUNCTION refuse_delete_of_held_row();
--> statement-breakpoint
CREATE TRIGGER audit_events_legal_hold_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_held_rows();
--> statement-breakpoint
CREATE TRIGGER remediation_audit_legal_hold_truncate BEFORE TRUNCATE ON remediation_audit
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_held_rows();
--> statement-breakpoint
CREATE TRIGGER remediation_audit_archive_legal_hold_truncate BEFORE TRUNCATE ON remediation_audit_archive
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_held_rows();
--> statement-breakpoint
CREATE TRIGGER alert_processing_audit_legal_hold_truncate BEFORE TRUNCATE ON alert_processing_audit
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_held_rows();
--> statement-breakpoint
CREATE TRIGGER alert_processing_audit_archive_legal_hold_truncate BEFORE TRUNCATE ON alert_processing_audit_archive
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_held_rows();
--> statement-breakpoint
CREATE TRIGGER ai_analysis_audit_legal_hold_truncate BEFORE TRUNCATE ON ai_analysis_audit
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_held_rows();
--> statement-breakpoint
CREATE TRIGGER ai_analysis_audit_archive_legal_hold_truncate BEFORE TRUNCATE ON ai_analysis_audit_archive
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_held_rows();
