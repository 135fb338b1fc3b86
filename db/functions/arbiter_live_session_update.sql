-- Trigger function of the live-session tables (db/migrations/0010_live_sessions_invariants.sql).
-- A session's identity never changes; it ends once, and an ended session is frozen.
CREATE OR REPLACE FUNCTION arbiter_live_session_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.project_id, NEW.annotator_id, NEW.character_id, NEW.scene, NEW.user_role, NEW.per_turn,
      NEW.turn_budget, NEW.seed, NEW.created_at)
     IS DISTINCT FROM
     (OLD.project_id, OLD.annotator_id, OLD.character_id, OLD.scene, OLD.user_role, OLD.per_turn,
      OLD.turn_budget, OLD.seed, OLD.created_at)
     OR OLD.state = 'ended' THEN
    RAISE EXCEPTION 'a live session only changes when it ends, once'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
