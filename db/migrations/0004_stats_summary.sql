CREATE TABLE "stats_dirty" (
	"project_id" bigint NOT NULL,
	"task_id" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stats_facts" (
	"project_id" bigint NOT NULL,
	"is_item" boolean NOT NULL,
	"owner_id" bigint NOT NULL,
	"keys" text[] NOT NULL,
	"counts" integer[] NOT NULL,
	CONSTRAINT "stats_facts_project_id_is_item_owner_id_pk" PRIMARY KEY("project_id","is_item","owner_id")
);
--> statement-breakpoint
CREATE TABLE "stats_state" (
	"project_id" bigint PRIMARY KEY NOT NULL,
	"facts_version" integer NOT NULL,
	"folded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stats_totals" (
	"project_id" bigint NOT NULL,
	"key" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "stats_totals_project_id_key_pk" PRIMARY KEY("project_id","key")
);
--> statement-breakpoint
ALTER TABLE "stats_state" ADD CONSTRAINT "stats_state_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stats_dirty_project_idx" ON "stats_dirty" USING btree ("project_id");--> statement-breakpoint

-- The dashboard's statistics summary is folded lazily (lib/services/stats.ts,
-- db/queries/stats-summary.ts); writers only log which task changed. One INSERT per
-- change of a task's valid judgments: no lock, no read, nothing that two submits share.
CREATE FUNCTION arbiter_stats_log_judgment() RETURNS trigger
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
--> statement-breakpoint
CREATE TRIGGER judgments_stats_log
AFTER INSERT OR DELETE OR UPDATE OF state ON judgments
FOR EACH ROW EXECUTE FUNCTION arbiter_stats_log_judgment();
--> statement-breakpoint

-- A task's gold answer decides whether its judgments count for agreement or for gold accuracy.
CREATE FUNCTION arbiter_stats_log_task_gold() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.gold IS DISTINCT FROM NEW.gold THEN
    INSERT INTO stats_dirty (project_id, task_id) VALUES (NEW.project_id, NEW.id);
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER tasks_stats_log_gold
AFTER UPDATE OF gold ON tasks
FOR EACH ROW EXECUTE FUNCTION arbiter_stats_log_task_gold();
