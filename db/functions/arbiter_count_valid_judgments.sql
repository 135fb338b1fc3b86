-- Trigger function of judgments_count_valid (db/migrations/0001_invariants.sql).
-- tasks.valid_judgments follows the judgments table; with the CHECK
-- tasks_valid_judgments_within_overlap this makes "never more valid judgments on a task
-- than its overlap" a database rule. An edit must mark the old judgment superseded
-- before inserting the new one (checks are immediate).
CREATE OR REPLACE FUNCTION arbiter_count_valid_judgments() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  delta integer;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.state = 'valid' THEN
      UPDATE tasks SET valid_judgments = valid_judgments + 1 WHERE id = NEW.task_id;
    END IF;
    RETURN NEW;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.state = 'valid' THEN
      UPDATE tasks SET valid_judgments = valid_judgments - 1 WHERE id = OLD.task_id;
    END IF;
    RETURN OLD;
  END IF;
  delta := (NEW.state = 'valid')::integer - (OLD.state = 'valid')::integer;
  IF delta <> 0 THEN
    UPDATE tasks SET valid_judgments = valid_judgments + delta WHERE id = NEW.task_id;
  END IF;
  RETURN NEW;
END
$$;
