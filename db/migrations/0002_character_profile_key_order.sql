ALTER TABLE "characters" ALTER COLUMN "profile" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "characters" ALTER COLUMN "profile" SET DEFAULT '{}'::json;