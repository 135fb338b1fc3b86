ALTER TYPE "public"."member_status" ADD VALUE 'removed';--> statement-breakpoint
ALTER TABLE "sign_in_throttle" ADD COLUMN "last_failed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "project_members" ADD COLUMN "status_before_removal" "member_status";--> statement-breakpoint
-- online-safe: sign_in_throttle holds only recent failures (pruned), a few rows to index.
CREATE INDEX IF NOT EXISTS "sign_in_throttle_last_failed_idx" ON "sign_in_throttle" USING btree ("last_failed_at");--> statement-breakpoint
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_removed_standing" CHECK (num_nonnulls("project_members"."status_before_removal") = ("project_members"."status"::text = 'removed')::int and coalesce("project_members"."status_before_removal"::text, '') <> 'removed') NOT VALID;--> statement-breakpoint
ALTER TABLE "project_members" VALIDATE CONSTRAINT "project_members_removed_standing";
