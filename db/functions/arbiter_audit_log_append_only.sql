-- Trigger function of audit_log_no_update_delete and audit_log_no_truncate
-- (db/migrations/0001_invariants.sql).
-- The audit log is append-only.
CREATE OR REPLACE FUNCTION arbiter_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only'
    USING ERRCODE = 'insufficient_privilege';
END
$$;
