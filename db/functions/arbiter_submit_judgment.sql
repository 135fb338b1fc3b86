-- The assignment engine's submit verb (docs/adr/0004-annotator-loop-in-the-database.md),
-- called by db/queries/assignments.ts.
--
-- One submit, in one statement, after the caller has read the lease (unlocked), checked
-- who may submit and validated the answer and turned it into canonical order:
-- the task row is locked first (submits and leases of a task serialise on it), then the
-- lease; every check is repeated under the locks and refusals come back as a status:
-- 'not_found', 'forbidden', 'replayed' (the judgment already stored for this lease, so a
-- retry counts nothing twice), 'refused' (project not active or membership not active,
-- with both statuses), 'skipped', 'submitted', 'no_room' (a late submit on a task that
-- others have since filled). Otherwise 'stored': the judgment is inserted (the trigger
-- counts it and the CHECK caps it at overlap; violations raise, with the constraint's
-- name) and the lease marked submitted; after a late submit the annotator's other live
-- leases on the task are released. synchronous_commit stays as configured (on).
CREATE OR REPLACE FUNCTION arbiter_submit_judgment(
  p_assignment bigint,
  p_annotator bigint,
  p_now timestamptz,
  p_strength int,
  p_ranks smallint[],
  p_both boolean,
  p_ratings jsonb,
  p_unsafe jsonb,
  p_rationale text,
  p_seconds real,
  p_roleplay_flags jsonb
) RETURNS TABLE (o_status text, o_project_status text, o_member_status text, o_judgment json)
LANGUAGE plpgsql VOLATILE
-- Plans are cached per connection from the first call; a table that was tiny then must
-- still be read through its index when it has grown (docs/adr/0004).
SET enable_seqscan = off
AS $$
DECLARE
  v_task_id bigint;
  v_task record;
  v_a record;
  v_j judgments;
  v_member text;
  v_expired boolean;
  v_live int;
BEGIN
  SELECT a.task_id INTO v_task_id FROM assignments a WHERE a.id = p_assignment;
  IF NOT FOUND THEN
    o_status := 'not_found';
    RETURN NEXT;
    RETURN;
  END IF;
  SELECT t.id, t.kind, t.scale_points, t.overlap, t.valid_judgments INTO v_task FROM tasks t WHERE t.id = v_task_id FOR UPDATE;
  SELECT a.id, a.project_id, a.annotator_id, a.display_order, a.state::text AS state, a.expires_at INTO v_a
    FROM assignments a WHERE a.id = p_assignment FOR UPDATE;
  IF v_a.annotator_id <> p_annotator THEN
    o_status := 'forbidden';
    RETURN NEXT;
    RETURN;
  END IF;
  SELECT j.* INTO v_j FROM judgments j
   WHERE j.assignment_id = v_a.id AND j.state <> 'superseded' ORDER BY j.id DESC LIMIT 1;
  IF FOUND THEN
    o_status := 'replayed';
    o_judgment := row_to_json(v_j);
    RETURN NEXT;
    RETURN;
  END IF;
  SELECT p.status::text INTO o_project_status FROM projects p WHERE p.id = v_a.project_id;
  SELECT m.status::text INTO v_member FROM project_members m WHERE m.project_id = v_a.project_id AND m.user_id = p_annotator;
  o_member_status := v_member;
  IF o_project_status <> 'active' OR v_member IS DISTINCT FROM 'active' THEN
    o_status := 'refused';
    RETURN NEXT;
    RETURN;
  END IF;
  IF v_a.state IN ('skipped', 'submitted') THEN
    o_status := v_a.state;
    RETURN NEXT;
    RETURN;
  END IF;
  v_expired := v_a.state <> 'active' OR v_a.expires_at <= p_now;
  IF v_expired THEN
    UPDATE assignments SET state = 'expired', finished_at = p_now
     WHERE task_id = v_task.id AND state = 'active' AND expires_at <= p_now;
    SELECT count(*)::int INTO v_live FROM assignments
     WHERE task_id = v_task.id AND state = 'active' AND expires_at > p_now AND annotator_id <> p_annotator;
    IF v_task.valid_judgments + v_live >= v_task.overlap THEN
      o_status := 'no_room';
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;
  INSERT INTO judgments (task_id, kind, scale_points, assignment_id, annotator_id, project_id, strength, ranks,
                         both_unacceptable, ratings, unsafe, roleplay_flags, rationale, display_order, seconds, state, created_at)
  VALUES (v_task.id, v_task.kind, v_task.scale_points, v_a.id, p_annotator, v_a.project_id, p_strength, p_ranks,
          coalesce(p_both, false), coalesce(p_ratings, '{}'::jsonb), coalesce(p_unsafe, '{}'::jsonb), coalesce(p_roleplay_flags, '{}'::jsonb), p_rationale,
          v_a.display_order, p_seconds, 'valid', p_now)
  RETURNING * INTO v_j;
  UPDATE assignments SET state = 'submitted', finished_at = p_now WHERE id = v_a.id;
  IF v_expired THEN
    UPDATE assignments SET state = 'released', finished_at = p_now
     WHERE task_id = v_task.id AND annotator_id = p_annotator AND state = 'active' AND id <> v_a.id;
  END IF;
  o_status := 'stored';
  o_judgment := row_to_json(v_j);
  RETURN NEXT;
END
$$;
