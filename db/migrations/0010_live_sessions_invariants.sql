-- Live sessions are append-only records: what an endpoint generated, what the annotator
-- saw and what they answered never change once stored. Deletes happen only as a cascade
-- (a project or session removed as a whole), never row by row.

CREATE FUNCTION arbiter_live_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER live_nodes_append_only
BEFORE UPDATE OR DELETE ON live_nodes
FOR EACH ROW EXECUTE FUNCTION arbiter_live_append_only();
--> statement-breakpoint
CREATE TRIGGER live_judgments_append_only
BEFORE UPDATE OR DELETE ON live_judgments
FOR EACH ROW EXECUTE FUNCTION arbiter_live_append_only();
--> statement-breakpoint

-- A turn only ever moves from open to judged; its slots and labels never change.
CREATE FUNCTION arbiter_live_turn_update() RETURNS trigger
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
--> statement-breakpoint
CREATE TRIGGER live_turns_update
BEFORE UPDATE ON live_turns
FOR EACH ROW EXECUTE FUNCTION arbiter_live_turn_update();
--> statement-breakpoint
CREATE TRIGGER live_turns_no_delete
BEFORE DELETE ON live_turns
FOR EACH ROW EXECUTE FUNCTION arbiter_live_append_only();
--> statement-breakpoint

-- A session's identity never changes; it ends once, and an ended session is frozen.
CREATE FUNCTION arbiter_live_session_update() RETURNS trigger
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
--> statement-breakpoint
CREATE TRIGGER live_sessions_update
BEFORE UPDATE ON live_sessions
FOR EACH ROW EXECUTE FUNCTION arbiter_live_session_update();
--> statement-breakpoint

-- The tree's shape: a user message follows the greeting or the continuation of a judged
-- turn (its chosen reply, or the edit that replaced it); a candidate or an edit answers
-- its own turn's user message; a candidate fills one of its turn's slots; nothing is
-- added to a judged turn except by the judgment itself (its edit); an ended session
-- takes no new node.
CREATE FUNCTION arbiter_live_node_insert() RETURNS trigger
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
--> statement-breakpoint
CREATE TRIGGER live_nodes_insert
BEFORE INSERT ON live_nodes
FOR EACH ROW EXECUTE FUNCTION arbiter_live_node_insert();
--> statement-breakpoint

-- A judgment compares exactly the current reply of each slot of its turn, is given by
-- the session's annotator, continues with one of them (or with the turn's edit), and
-- closes the turn.
CREATE FUNCTION arbiter_live_judgment_insert() RETURNS trigger
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
--> statement-breakpoint
CREATE TRIGGER live_judgments_insert
BEFORE INSERT ON live_judgments
FOR EACH ROW EXECUTE FUNCTION arbiter_live_judgment_insert();
--> statement-breakpoint
CREATE TRIGGER live_regenerations_append_only
BEFORE UPDATE OR DELETE ON live_regenerations
FOR EACH ROW EXECUTE FUNCTION arbiter_live_append_only();
