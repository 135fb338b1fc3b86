ALTER TABLE "tasks" ADD COLUMN "extra_overlap" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_extra_overlap_range" CHECK ("tasks"."extra_overlap" between 0 and 20 and "tasks"."extra_overlap" < "tasks"."overlap") NOT VALID;--> statement-breakpoint
ALTER TABLE "tasks" VALIDATE CONSTRAINT "tasks_extra_overlap_range";
