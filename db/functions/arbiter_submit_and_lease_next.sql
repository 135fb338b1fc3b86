-- A submit that carries the next lease (docs/adr/0004-annotator-loop-in-the-database.md),
-- called by db/queries/assignments.ts for the workspace: the two verbs of the annotator
-- loop in one statement, so one round trip and one transaction, with the same checks and
-- outcomes as arbiter_submit_judgment followed by arbiter_lease_next_task.
--
-- 1. the caller's membership of the project p_slug names is locked first, as the lease
--    verb locks it (lock order: membership → task → the task's leases);
-- 2. arbiter_submit_judgment, its outcome in the s_* columns; unless 'stored' or
--    'replayed' nothing is leased;
-- 3. arbiter_lease_next_task with arbiter.lease_after_submit on for this transaction: the
--    commit stays synchronous (the judgment is durable when the caller is answered), and
--    the lease never waits for a task's lock while this transaction holds the submitted
--    task's ('retry': the caller leases anew once this has committed). Its row, as
--    arbiter_lease_next_task returns it, in o_lease as JSON (null when nothing was leased).
-- An error anywhere (the overlap CHECK, a deadlock) rolls both back: a failed submit
-- leases nothing.
CREATE OR REPLACE FUNCTION arbiter_submit_and_lease_next(
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
  p_roleplay_flags jsonb,
  p_slug text,
  p_today timestamptz,
  p_rands float8[],
  p_window int,
  p_default_gold_ratio float8,
  p_default_max_leases int,
  p_default_lease_minutes int
) RETURNS TABLE (
  s_status text,
  s_project_status text,
  s_member_status text,
  s_judgment json,
  o_lease json
)
LANGUAGE plpgsql VOLATILE
-- Plans are cached per connection from the first call (docs/adr/0004).
SET enable_seqscan = off
AS $$
BEGIN
  PERFORM 1 FROM project_members m JOIN projects p ON p.id = m.project_id
   WHERE p.slug = p_slug AND m.user_id = p_annotator
   FOR UPDATE OF m;
  SELECT * INTO s_status, s_project_status, s_member_status, s_judgment
    FROM arbiter_submit_judgment(p_assignment, p_annotator, p_now, p_strength, p_ranks, p_both, p_ratings, p_unsafe,
                                 p_rationale, p_seconds, p_roleplay_flags);
  IF s_status IN ('stored', 'replayed') THEN
    PERFORM set_config('arbiter.lease_after_submit', 'on', true);
    SELECT row_to_json(l) INTO o_lease
      FROM arbiter_lease_next_task(p_slug, p_annotator, p_now, '{}'::bigint[], p_today, p_rands, p_window,
                                   p_default_gold_ratio, p_default_max_leases, p_default_lease_minutes) l;
    PERFORM set_config('arbiter.lease_after_submit', 'off', true);
  END IF;
  RETURN NEXT;
END
$$;
