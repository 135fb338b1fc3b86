-- Invariants the database keeps whatever the caller does (drizzle-kit cannot express triggers).

-- tasks.valid_judgments follows the judgments table; with the CHECK
-- tasks_valid_judgments_within_overlap this makes "never more valid judgments on a task
-- than its overlap" a database rule. An edit must mark the old judgment superseded
-- before inserting the new one (checks are immediate).
CREATE FUNCTION arbiter_count_valid_judgments() RETURNS trigger
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
--> statement-breakpoint
CREATE TRIGGER judgments_count_valid
AFTER INSERT OR DELETE OR UPDATE OF state ON judgments
FOR EACH ROW EXECUTE FUNCTION arbiter_count_valid_judgments();
--> statement-breakpoint

-- A judgment's answer never changes after it is stored: an edit inserts a new judgment
-- and marks this one superseded; a review marks it rejected. Only the state may move.
CREATE FUNCTION arbiter_judgment_answer_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.task_id, NEW.kind, NEW.scale_points, NEW.assignment_id, NEW.annotator_id,
      NEW.project_id, NEW.strength, NEW.ranks, NEW.both_unacceptable, NEW.ratings,
      NEW.unsafe, NEW.rationale, NEW.display_order, NEW.seconds, NEW.created_at,
      NEW.supersedes_id)
     IS DISTINCT FROM
     (OLD.task_id, OLD.kind, OLD.scale_points, OLD.assignment_id, OLD.annotator_id,
      OLD.project_id, OLD.strength, OLD.ranks, OLD.both_unacceptable, OLD.ratings,
      OLD.unsafe, OLD.rationale, OLD.display_order, OLD.seconds, OLD.created_at,
      OLD.supersedes_id) THEN
    RAISE EXCEPTION 'judgments are immutable: an edit supersedes the old judgment'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER judgments_answer_immutable
BEFORE UPDATE ON judgments
FOR EACH ROW EXECUTE FUNCTION arbiter_judgment_answer_immutable();
--> statement-breakpoint

-- The audit log is append-only.
CREATE FUNCTION arbiter_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only'
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_delete
BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION arbiter_audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate
BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION arbiter_audit_log_append_only();
