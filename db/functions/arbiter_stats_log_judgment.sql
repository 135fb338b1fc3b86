-- Trigger function of judgments_stats_log (db/migrations/0004_stats_summary.sql).
-- The dashboard's statistics summary is folded lazily (lib/services/stats.ts,
-- db/queries/stats-summary.ts); writers only log which task changed. One INSERT per
-- change of a task's valid judgments: no lock, no read, nothing that two submits share.
CREATE OR REPLACE FUNCTION arbiter_stats_log_judgment() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.state = 'valid' THEN
      INSERT INTO stats_dirty (project_id, task_id) VALUES (NEW.project_id, NEW.task_id);
    END IF;
    RETURN NEW;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.state = 'valid' THEN
      INSERT INTO stats_dirty (project_id, task_id) VALUES (OLD.project_id, OLD.task_id);
    END IF;
    RETURN OLD;
  END IF;
  IF (OLD.state = 'valid') <> (NEW.state = 'valid') THEN
    INSERT INTO stats_dirty (project_id, task_id) VALUES (NEW.project_id, NEW.task_id);
  END IF;
  RETURN NEW;
END
$$;
