-- Trigger function of the live-session tables (db/migrations/0010_live_sessions_invariants.sql).
-- A judgment compares exactly the current reply of each slot of its turn, is given by
-- the session's annotator, continues with one of them (or with the turn's edit), and
-- closes the turn.
CREATE OR REPLACE FUNCTION arbiter_live_judgment_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  turn live_turns%ROWTYPE;
  current_ids bigint[];
BEGIN
  SELECT * INTO turn FROM live_turns WHERE id = NEW.turn_id AND session_id = NEW.session_id FOR UPDATE;
  IF turn.judged THEN
    RAISE EXCEPTION 'turn % is already judged', NEW.turn_id USING ERRCODE = 'unique_violation';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM live_sessions s WHERE s.id = NEW.session_id AND s.annotator_id = NEW.annotator_id AND s.state = 'active') THEN
    RAISE EXCEPTION 'only the annotator of an active session judges its turns' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.labels IS DISTINCT FROM turn.labels THEN
    RAISE EXCEPTION 'the labels judged are not the labels shown' USING ERRCODE = 'check_violation';
  END IF;
  SELECT array_agg(latest ORDER BY slot) INTO current_ids FROM (
    SELECT slot, max(id) AS latest FROM live_nodes
    WHERE turn_id = NEW.turn_id AND kind = 'candidate' GROUP BY slot
  ) s;
  IF current_ids IS DISTINCT FROM NEW.candidate_node_ids THEN
    RAISE EXCEPTION 'a judgment compares the current reply of every slot' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.edit_node_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM live_nodes e WHERE e.id = NEW.edit_node_id AND e.turn_id = NEW.turn_id AND e.kind = 'edit'
      AND (e.edit_of IS NOT DISTINCT FROM NEW.chosen_node_id)
  ) THEN
    RAISE EXCEPTION 'the edit is of this turn''s chosen reply' USING ERRCODE = 'check_violation';
  END IF;
  UPDATE live_turns SET judged = true WHERE id = NEW.turn_id;
  RETURN NEW;
END
$$;
