-- Trigger function of the live-session tables (db/migrations/0010_live_sessions_invariants.sql).
-- Live sessions are append-only records: what an endpoint generated, what the annotator
-- saw and what they answered never change once stored. Deletes happen only as a cascade
-- (a project or session removed as a whole), never row by row.
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
