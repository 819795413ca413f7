-- The audit trail is append-only in the database itself. Written by hand (drizzle-kit generate --custom):
-- drizzle-kit does not model functions or triggers.
--
-- audit_events: UPDATE is refused to everyone; DELETE and TRUNCATE only to the retention job, which marks its
-- transaction with SET LOCAL kubernaut.retention = 'on' (any other session that sets it is the retention job as
-- far as the database can tell: the setting is a guard against mistakes and against writers, not against a
-- database owner or superuser, who can also disable triggers or set session_replication_role = replica).
-- What catches those is the Merkle log: every row is sealed as a leaf of audit_log_leaves, and the signed
-- checkpoints published outside the database pin the tree, so a changed, deleted or reordered row is found by
-- GET /api/v1/audit/verify and by kubernaut-audit verify.
--
-- audit_log_leaves, audit_log_nodes, audit_log_checkpoints: append-only for everyone, retention included.
--
-- These triggers are named to fire after the legal-hold triggers (PostgreSQL fires a table's triggers in name
-- order), so a delete of a held row is refused naming the hold.
CREATE FUNCTION refuse_audit_event_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') AND current_setting('kubernaut.retention', true) = 'on' THEN
    RETURN CASE WHEN TG_LEVEL = 'ROW' THEN OLD ELSE NULL END;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % is refused (only the retention job deletes)', TG_OP
    USING ERRCODE = 'restrict_violation',
      HINT = 'audit records are never changed; the Merkle log and its signed checkpoints would show it';
END
$$;
--> statement-breakpoint
CREATE FUNCTION refuse_audit_log_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation',
      HINT = 'the tamper-evident log is never rewritten, not even by retention';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_rewrite BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_event_rewrite();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_rewrite_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_event_rewrite();
--> statement-breakpoint
CREATE TRIGGER audit_log_leaves_no_rewrite BEFORE UPDATE OR DELETE ON audit_log_leaves
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_log_rewrite();
--> statement-breakpoint
CREATE TRIGGER audit_log_leaves_no_rewrite_truncate BEFORE TRUNCATE ON audit_log_leaves
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_log_rewrite();
--> statement-breakpoint
CREATE TRIGGER audit_log_nodes_no_rewrite BEFORE UPDATE OR DELETE ON audit_log_nodes
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_log_rewrite();
--> statement-breakpoint
CREATE TRIGGER audit_log_nodes_no_rewrite_truncate BEFORE TRUNCATE ON audit_log_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_log_rewrite();
--> statement-breakpoint
CREATE TRIGGER audit_log_checkpoints_no_rewrite BEFORE UPDATE OR DELETE ON audit_log_checkpoints
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_log_rewrite();
--> statement-breakpoint
CREATE TRIGGER audit_log_checkpoints_no_rewrite_truncate BEFORE TRUNCATE ON audit_log_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_log_rewrite();
