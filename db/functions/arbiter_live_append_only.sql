-- Trigger function of live_nodes_append_only, live_judgments_append_only, live_turns_no_delete, live_regenerations_append_only
-- (db/migrations/0010_live_sessions_invariants.sql).
CREATE OR REPLACE FUNCTION arbiter_live_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
