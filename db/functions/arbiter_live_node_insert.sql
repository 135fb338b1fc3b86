-- Trigger function of the live-session tables (db/migrations/0010_live_sessions_invariants.sql).
-- The tree's shape: a user message follows the greeting or the continuation of a judged
-- turn (its chosen reply, or the edit that replaced it); a candidate or an edit answers
-- its own turn's user message; a candidate fills one of its turn's slots; nothing is
-- added to a judged turn except by the judgment itself (its edit); an ended session
-- takes no new node.
CREATE OR REPLACE FUNCTION arbiter_live_node_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  parent live_nodes%ROWTYPE;
  turn live_turns%ROWTYPE;
  ended boolean;
BEGIN
  SELECT state = 'ended' INTO ended FROM live_sessions WHERE id = NEW.session_id;
  IF ended THEN
    RAISE EXCEPTION 'session % has ended', NEW.session_id USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.kind = 'greeting' THEN
    RETURN NEW;
  END IF;
  SELECT * INTO parent FROM live_nodes WHERE id = NEW.parent_id AND session_id = NEW.session_id;
  SELECT * INTO turn FROM live_turns WHERE id = NEW.turn_id AND session_id = NEW.session_id;
  IF NEW.kind = 'user' THEN
    IF turn.judged THEN
      RAISE EXCEPTION 'turn % is already judged', NEW.turn_id USING ERRCODE = 'check_violation';
    END IF;
    IF parent.kind <> 'greeting' AND NOT EXISTS (
      SELECT 1 FROM live_judgments j
      WHERE j.turn_id = parent.turn_id AND coalesce(j.edit_node_id, j.chosen_node_id) = parent.id
    ) THEN
      RAISE EXCEPTION 'a user message follows the greeting or a chosen reply'
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF parent.kind IS DISTINCT FROM 'user' OR parent.turn_id IS DISTINCT FROM NEW.turn_id THEN
    RAISE EXCEPTION 'a reply answers its own turn''s user message' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.kind = 'candidate' THEN
    IF turn.judged THEN
      RAISE EXCEPTION 'turn % is already judged', NEW.turn_id USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.slot >= cardinality(turn.labels) THEN
      RAISE EXCEPTION 'turn % has no slot %', NEW.turn_id, NEW.slot USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  IF NEW.kind = 'edit' AND NEW.edit_of IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM live_nodes c WHERE c.id = NEW.edit_of AND c.turn_id = NEW.turn_id AND c.kind = 'candidate'
  ) THEN
    RAISE EXCEPTION 'an edit rewrites a candidate of its own turn' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
