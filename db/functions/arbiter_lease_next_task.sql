-- The assignment engine's lease verb (docs/adr/0004-annotator-loop-in-the-database.md),
-- called by db/queries/assignments.ts.
--
-- One lease request, in one statement (so in one transaction of its own):
-- 1. the project by slug and the caller's membership, locked: one annotator's concurrent
--    requests queue here, different annotators never wait for each other;
-- 2. refusals (not a member, paused member, project not active) are returned as a status
--    with the facts, and the caller words the error;
-- 3. a live lease of the caller (oldest first, except p_exclude) is resumed as it is;
-- 4. below the cap of live leases: gold when due (p_rands[1]), otherwise or when no gold
--    is left, an ordinary task. Candidates are the first p_window eligible tasks in
--    tasks_open_ranked_idx order (closest to completion first; then by sampling_rank, 0 under
--    uniform pair sampling and a weighted random key under active sampling, so informative
--    pairs enter the window first; then by id) at the highest level among them,
--    tried in an order shuffled by p_rands[2], each locked with SKIP LOCKED. After the lock,
--    in statements of their own (fresh snapshots), the task's expired leases are reclaimed
--    and its live leases counted: valid + live < overlap or the next candidate is tried.
--    SKIP LOCKED: concurrent leases never wait for each other nor take the same slot.
--    When every candidate was locked by others, it waits for one, but never while it
--    holds another task's lock (status 'retry': the caller calls again);
-- 5. the lease with a balanced display order (p_rands[3..]), and the task's content, the
--    caller's valid judgments since p_today and nothing else.
-- synchronous_commit is off for this transaction only: it writes nothing but leases, and a
-- lease lost in a crash costs nothing (the annotator is given a task again).
-- Called by arbiter_submit_and_lease_next after a submit, in the submit's transaction (the
-- transaction-local setting arbiter.lease_after_submit is 'on'): synchronous_commit stays
-- as configured, since the transaction stores a judgment, and it never waits for a task's
-- lock, since it holds the submitted task's (status 'retry': the caller leases anew).
CREATE OR REPLACE FUNCTION arbiter_lease_next_task(
  p_slug text,
  p_annotator bigint,
  p_now timestamptz,
  p_exclude bigint[],
  p_today timestamptz,
  p_rands float8[],
  p_window int,
  p_default_gold_ratio float8,
  p_default_max_leases int,
  p_default_lease_minutes int
) RETURNS TABLE (
  o_status text,
  o_detail int,
  o_project_id bigint,
  o_project_name text,
  o_project_status text,
  o_member_status text,
  o_settings jsonb,
  o_assignment_id bigint,
  o_leased_at timestamptz,
  o_expires_at timestamptz,
  o_task_id bigint,
  o_kind text,
  o_scale_points int,
  o_display_order smallint[],
  o_contents json,
  o_scene text,
  o_context jsonb,
  o_character_name text,
  o_character_profile json,
  o_mine_today int
)
LANGUAGE plpgsql VOLATILE
-- Plans are cached per connection from the first call; a table that was tiny then must
-- still be read through its index when it has grown (docs/adr/0004).
SET enable_seqscan = off
AS $$
DECLARE
  proj record;
  v_member text;
  v_gold_ratio float8;
  v_max int;
  v_minutes int;
  v_lease record;
  v_resumed boolean := false;
  v_live int;
  v_total int;
  v_gold int;
  v_pools boolean[];
  v_pool boolean;
  v_seed text := coalesce(p_rands[2], random())::text;
  v_tried bigint[] := '{}';
  v_busy bigint[];
  v_after_submit boolean := coalesce(current_setting('arbiter.lease_after_submit', true), '') = 'on';
  v_holding boolean := v_after_submit;
  v_cands bigint[];
  v_cid bigint;
  v_task record;
  v_firsts int[];
  v_order smallint[];
  v_wait boolean;
BEGIN
  SELECT p.id, p.name, p.status::text AS status, p.settings INTO proj FROM projects p WHERE p.slug = p_slug;
  IF NOT FOUND THEN
    o_status := 'not_found';
    RETURN NEXT;
    RETURN;
  END IF;
  SELECT m.status::text INTO v_member FROM project_members m
   WHERE m.project_id = proj.id AND m.user_id = p_annotator
   FOR UPDATE;
  o_project_id := proj.id;
  o_project_name := proj.name;
  o_project_status := proj.status;
  o_member_status := v_member;
  o_settings := proj.settings;
  IF v_member IS DISTINCT FROM 'active' OR proj.status <> 'active' THEN
    o_status := 'refused';
    RETURN NEXT;
    RETURN;
  END IF;
  IF NOT v_after_submit THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  v_gold_ratio := coalesce((proj.settings ->> 'goldRatio')::float8, p_default_gold_ratio);
  v_max := coalesce((proj.settings ->> 'maxLeasesPerAnnotator')::int, p_default_max_leases);
  v_minutes := coalesce((proj.settings ->> 'leaseMinutes')::int, p_default_lease_minutes);

  -- Resume (assignments_annotator_live_idx). Leases whose time is up are not live; whoever
  -- next locks their task marks them expired.
  SELECT a.id, a.task_id, a.display_order, a.leased_at, a.expires_at INTO v_lease
    FROM assignments a
   WHERE a.annotator_id = p_annotator AND a.project_id = proj.id AND a.state = 'active' AND a.expires_at > p_now
     AND a.id <> ALL (coalesce(p_exclude, '{}'::bigint[]))
   ORDER BY a.leased_at, a.id
   LIMIT 1;
  IF FOUND THEN
    v_resumed := true;
  ELSE
    SELECT count(*)::int INTO v_live FROM assignments a
     WHERE a.annotator_id = p_annotator AND a.project_id = proj.id AND a.state = 'active' AND a.expires_at > p_now;
    IF v_live >= v_max THEN
      o_status := 'capped';
      o_detail := v_live;
      RETURN NEXT;
      RETURN;
    END IF;
    v_pools := ARRAY[false];
    IF v_gold_ratio > 0 THEN
      -- Tasks given so far and how many were gold (expired and released leases do not count).
      -- One index probe per task of theirs (assignments_annotator_task_idx, then the task's
      -- primary key), never a walk over the project's tasks.
      SELECT count(*)::int, (count(*) FILTER (WHERE (SELECT t.gold IS NOT NULL FROM tasks t WHERE t.id = a.task_id)))::int
        INTO v_total, v_gold
        FROM assignments a
       WHERE a.annotator_id = p_annotator AND a.project_id = proj.id
         AND a.state IN ('active', 'submitted', 'skipped') AND (a.state <> 'active' OR a.expires_at > p_now);
      IF arbiter_should_inject_gold(v_gold_ratio, v_gold, v_total, coalesce(p_rands[1], random())) THEN
        v_pools := ARRAY[true, false];
      END IF;
    END IF;

    <<pools>>
    FOREACH v_pool IN ARRAY v_pools LOOP
      v_busy := '{}';
      LOOP
        -- The eligibility tests are per-row index probes (`offset 0` keeps them from becoming
        -- anti-joins), so the scan walks tasks_open_ranked_idx in priority order and stops after
        -- p_window rows.
        -- The window function runs over the p_window rows only, after the LIMIT.
        SELECT array_agg(e.id ORDER BY md5(e.id::text || v_seed)) INTO v_cands
          FROM (
            SELECT w.id, w.valid_judgments, max(w.valid_judgments) OVER () AS top
            FROM (
            SELECT t.id, t.valid_judgments
              FROM tasks t
             WHERE t.project_id = proj.id
               AND t.valid_judgments < t.overlap
               AND (t.gold IS NOT NULL) = v_pool
               AND (NOT v_pool OR t.gold_retired_at IS NULL)
               AND t.id <> ALL (v_tried)
               AND NOT EXISTS (
                 SELECT 1 FROM assignments a
                  WHERE a.annotator_id = p_annotator AND a.task_id = t.id
                    AND (a.state IN ('submitted', 'skipped') OR (a.state = 'active' AND a.expires_at > p_now))
                 OFFSET 0)
               AND NOT EXISTS (
                 SELECT 1 FROM judgments j
                  WHERE j.task_id = t.id AND j.annotator_id = p_annotator AND j.state <> 'superseded'
                 OFFSET 0)
               AND t.valid_judgments + (
                 SELECT count(*) FROM assignments l
                  WHERE l.task_id = t.id AND l.state = 'active' AND l.expires_at > p_now) < t.overlap
             ORDER BY t.valid_judgments DESC NULLS LAST, t.sampling_rank, t.id
             LIMIT p_window
            ) w
          ) e
         WHERE e.valid_judgments = e.top;
        v_wait := false;
        IF v_cands IS NULL THEN
          -- Nothing eligible but what others hold locks on: wait for one (it may still have
          -- room when they finish) rather than report an empty queue.
          IF cardinality(v_busy) = 0 THEN
            CONTINUE pools;
          END IF;
          IF v_holding THEN
            o_status := 'retry';
            RETURN NEXT;
            RETURN;
          END IF;
          v_cands := v_busy[1:1];
          v_busy := v_busy[2:];
          v_wait := true;
        END IF;
        FOREACH v_cid IN ARRAY v_cands LOOP
          IF v_wait THEN
            SELECT t.id, t.overlap, t.valid_judgments, cardinality(t.candidate_ids) AS k INTO v_task
              FROM tasks t WHERE t.id = v_cid AND t.valid_judgments < t.overlap
             FOR UPDATE;
          ELSE
            SELECT t.id, t.overlap, t.valid_judgments, cardinality(t.candidate_ids) AS k INTO v_task
              FROM tasks t WHERE t.id = v_cid AND t.valid_judgments < t.overlap
             FOR UPDATE SKIP LOCKED;
          END IF;
          IF NOT FOUND THEN
            -- Locked by a concurrent lease or submit (or full since): look further down.
            IF NOT v_wait THEN v_busy := v_busy || v_cid; END IF;
            v_tried := v_tried || v_cid;
            CONTINUE;
          END IF;
          -- Locked: from here on these statements see every lease committed before the lock.
          UPDATE assignments SET state = 'expired', finished_at = p_now
           WHERE task_id = v_cid AND state = 'active' AND expires_at <= p_now;
          SELECT count(*)::int INTO v_live FROM assignments WHERE task_id = v_cid AND state = 'active';
          IF v_task.valid_judgments + v_live < v_task.overlap THEN
            -- The orders handed out on the task: live leases (assignments_task_live_idx) and
            -- submitted ones, i.e. the live judgments, which carry their lease's order
            -- (judgments_live_per_annotator_key) — no index of assignments by task covers
            -- every state.
            SELECT array_agg(f) INTO v_firsts FROM (
              SELECT display_order[1]::int AS f FROM assignments WHERE task_id = v_cid AND state = 'active'
              UNION ALL
              SELECT display_order[1]::int FROM judgments WHERE task_id = v_cid AND state <> 'superseded'
            ) used;
            v_order := arbiter_display_order(v_task.k, v_firsts, p_rands[3:]);
            INSERT INTO assignments (task_id, project_id, annotator_id, display_order, state, leased_at, expires_at)
            VALUES (v_cid, proj.id, p_annotator, v_order, 'active', p_now, p_now + make_interval(mins => v_minutes))
            RETURNING id, task_id, display_order, leased_at, expires_at INTO v_lease;
            EXIT pools;
          END IF;
          v_holding := true;
          IF NOT v_cid = ANY (v_tried) THEN v_tried := v_tried || v_cid; END IF;
        END LOOP;
        -- Every candidate of this window was busy or full: the next window.
        v_tried := v_tried || v_cands;
      END LOOP;
    END LOOP;
    IF v_lease.id IS NULL THEN
      o_status := 'empty';
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;

  o_status := CASE WHEN v_resumed THEN 'resumed' ELSE 'leased' END;
  o_assignment_id := v_lease.id;
  o_leased_at := v_lease.leased_at;
  o_expires_at := v_lease.expires_at;
  o_task_id := v_lease.task_id;
  o_display_order := v_lease.display_order;
  SELECT t.kind::text, t.scale_points::int,
         (SELECT json_agg(cd.content ORDER BY array_position(t.candidate_ids, cd.id))
            FROM candidates cd WHERE cd.id = ANY (t.candidate_ids)),
         i.scene, i.context, c.name, c.profile::json
    INTO o_kind, o_scale_points, o_contents, o_scene, o_context, o_character_name, o_character_profile
    FROM tasks t
    JOIN items i ON i.id = t.item_id
    JOIN characters c ON c.id = i.character_id
   WHERE t.id = v_lease.task_id;
  -- judgments_annotator_created_idx: today's judgments of one annotator, not a scan.
  SELECT count(*)::int INTO o_mine_today FROM judgments mj
   WHERE mj.annotator_id = p_annotator AND mj.created_at >= p_today
     AND mj.project_id = proj.id AND mj.state = 'valid';
  RETURN NEXT;
END
$$;
