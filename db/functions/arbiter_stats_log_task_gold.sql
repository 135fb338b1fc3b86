-- Trigger function of tasks_stats_log_gold (db/migrations/0004_stats_summary.sql).
-- A task's gold answer decides whether its judgments count for agreement or for gold accuracy.
CREATE OR REPLACE FUNCTION arbiter_stats_log_task_gold() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.gold IS DISTINCT FROM NEW.gold THEN
    INSERT INTO stats_dirty (project_id, task_id) VALUES (NEW.project_id, NEW.id);
  END IF;
  RETURN NEW;
END
$$;
