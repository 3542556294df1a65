-- The audit log is append-only: row triggers refuse UPDATE and DELETE (004); this refuses TRUNCATE too.
-- Retention, if a county ever wants it, is a deliberate act by the database owner (DISABLE TRIGGER).
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
