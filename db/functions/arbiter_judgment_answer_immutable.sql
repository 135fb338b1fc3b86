-- Trigger function of judgments_answer_immutable (db/migrations/0001_invariants.sql).
-- A judgment's answer never changes after it is stored: an edit inserts a new judgment
-- and marks this one superseded; a review marks it rejected. Only the state may move.
CREATE OR REPLACE FUNCTION arbiter_judgment_answer_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.task_id, NEW.kind, NEW.scale_points, NEW.assignment_id, NEW.annotator_id,
      NEW.project_id, NEW.strength, NEW.ranks, NEW.both_unacceptable, NEW.ratings,
      NEW.unsafe, NEW.roleplay_flags, NEW.rationale, NEW.display_order, NEW.seconds, NEW.created_at,
      NEW.supersedes_id)
     IS DISTINCT FROM
     (OLD.task_id, OLD.kind, OLD.scale_points, OLD.assignment_id, OLD.annotator_id,
      OLD.project_id, OLD.strength, OLD.ranks, OLD.both_unacceptable, OLD.ratings,
      OLD.unsafe, OLD.roleplay_flags, OLD.rationale, OLD.display_order, OLD.seconds, OLD.created_at,
      OLD.supersedes_id) THEN
    RAISE EXCEPTION 'judgments are immutable: an edit supersedes the old judgment'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
