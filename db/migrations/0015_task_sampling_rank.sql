ALTER TABLE "tasks" ADD COLUMN "sampling_rank" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tasks_open_ranked_idx" ON "tasks" USING btree ("project_id","valid_judgments" DESC NULLS LAST,"sampling_rank","id") WHERE "tasks"."valid_judgments" < "tasks"."overlap";--> statement-breakpoint
DROP INDEX IF EXISTS "tasks_open_idx";--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_sampling_rank_range" CHECK ("tasks"."sampling_rank" >= 0 and "tasks"."sampling_rank" < 'Infinity'::float8) NOT VALID;--> statement-breakpoint
ALTER TABLE "tasks" VALIDATE CONSTRAINT "tasks_sampling_rank_range";
