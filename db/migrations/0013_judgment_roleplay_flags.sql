ALTER TABLE "judgments" ADD COLUMN "roleplay_flags" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- Empty when created (no judgment has flags yet); on a large deployment create it
-- CONCURRENTLY beforehand, as docs/schema-changes.md says, and this is a no-op.
CREATE INDEX IF NOT EXISTS "judgments_project_roleplay_flagged_idx" ON "judgments" USING btree ("project_id") WHERE "judgments"."roleplay_flags" <> '{}'::jsonb;
