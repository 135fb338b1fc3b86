-- Trigger function of the live-session tables (db/migrations/0010_live_sessions_invariants.sql).
-- A turn only ever moves from open to judged; its slots and labels never change.
CREATE OR REPLACE FUNCTION arbiter_live_turn_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.session_id, NEW.turn_index, NEW.labels, NEW.slot_endpoint_ids, NEW.created_at)
     IS DISTINCT FROM (OLD.session_id, OLD.turn_index, OLD.labels, OLD.slot_endpoint_ids, OLD.created_at)
     OR (OLD.judged AND NOT NEW.judged) THEN
    RAISE EXCEPTION 'a live turn only moves from open to judged'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
