CREATE TYPE "public"."generation_job_state" AS ENUM('running', 'finished', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."generation_unit_state" AS ENUM('pending', 'done', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "model_endpoints" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "model_endpoints_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"base_url" text NOT NULL,
	"model" text NOT NULL,
	"api_key_env" text,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"timeout_ms" integer DEFAULT 120000 NOT NULL,
	"concurrency" integer DEFAULT 4 NOT NULL,
	"rpm" integer,
	"capabilities" jsonb,
	"rate_next_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"archived_at" timestamp with time zone,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_endpoints_name_format" CHECK ("model_endpoints"."name" ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
	CONSTRAINT "model_endpoints_base_url_http" CHECK ("model_endpoints"."base_url" ~ '^https?://'),
	CONSTRAINT "model_endpoints_model_nonempty" CHECK (length(btrim("model_endpoints"."model")) between 1 and 200),
	CONSTRAINT "model_endpoints_api_key_env_name" CHECK ("model_endpoints"."api_key_env" is null or "model_endpoints"."api_key_env" ~ '^[A-Za-z_][A-Za-z0-9_]{0,127}$'),
	CONSTRAINT "model_endpoints_timeout_range" CHECK ("model_endpoints"."timeout_ms" between 1000 and 3600000),
	CONSTRAINT "model_endpoints_concurrency_range" CHECK ("model_endpoints"."concurrency" between 1 and 1024),
	CONSTRAINT "model_endpoints_rpm_positive" CHECK ("model_endpoints"."rpm" is null or "model_endpoints"."rpm" between 1 and 1000000),
	CONSTRAINT "model_endpoints_params_object" CHECK (jsonb_typeof("model_endpoints"."params") = 'object')
);
--> statement-breakpoint
CREATE TABLE "generation_jobs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "generation_jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" bigint NOT NULL,
	"created_by" bigint,
	"state" "generation_job_state" DEFAULT 'running' NOT NULL,
	"samples" smallint NOT NULL,
	"filter" jsonb NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"total" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "generation_jobs_samples_range" CHECK ("generation_jobs"."samples" between 1 and 16),
	CONSTRAINT "generation_jobs_total_nonnegative" CHECK ("generation_jobs"."total" >= 0)
);
--> statement-breakpoint
CREATE TABLE "generation_units" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "generation_units_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"job_id" bigint NOT NULL,
	"item_id" bigint NOT NULL,
	"endpoint_id" bigint NOT NULL,
	"sample_index" smallint NOT NULL,
	"state" "generation_unit_state" DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"error" text,
	"candidate_id" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "generation_units_job_item_endpoint_sample_key" UNIQUE("job_id","item_id","endpoint_id","sample_index"),
	CONSTRAINT "generation_units_sample_range" CHECK ("generation_units"."sample_index" between 0 and 15),
	CONSTRAINT "generation_units_done_is_finished" CHECK ("generation_units"."state" <> 'done' or "generation_units"."finished_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "api_tokens" DROP CONSTRAINT "api_tokens_scopes_known";--> statement-breakpoint
ALTER TABLE "candidates" ADD COLUMN "endpoint_id" bigint;--> statement-breakpoint
ALTER TABLE "candidates" ADD COLUMN "sample_index" smallint;--> statement-breakpoint
ALTER TABLE "candidates" ADD COLUMN "params" jsonb;--> statement-breakpoint
ALTER TABLE "candidates" ADD COLUMN "seed" bigint;--> statement-breakpoint
ALTER TABLE "candidates" ADD COLUMN "finish_reason" text;--> statement-breakpoint
ALTER TABLE "candidates" ADD COLUMN "prompt_tokens" integer;--> statement-breakpoint
ALTER TABLE "candidates" ADD COLUMN "completion_tokens" integer;--> statement-breakpoint
ALTER TABLE "candidates" ADD COLUMN "ttft_ms" integer;--> statement-breakpoint
ALTER TABLE "candidates" ADD COLUMN "total_ms" integer;--> statement-breakpoint
ALTER TABLE "candidates" ADD COLUMN "response_id" text;--> statement-breakpoint
ALTER TABLE "candidates" ADD COLUMN "generated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "model_endpoints" ADD CONSTRAINT "model_endpoints_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD CONSTRAINT "generation_jobs_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD CONSTRAINT "generation_jobs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_units" ADD CONSTRAINT "generation_units_job_id_generation_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."generation_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_units" ADD CONSTRAINT "generation_units_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_units" ADD CONSTRAINT "generation_units_endpoint_id_model_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."model_endpoints"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_units" ADD CONSTRAINT "generation_units_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "model_endpoints_name_key" ON "model_endpoints" USING btree ("name");--> statement-breakpoint
CREATE INDEX "generation_jobs_project_idx" ON "generation_jobs" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "generation_units_job_state_idx" ON "generation_units" USING btree ("job_id","state");--> statement-breakpoint
CREATE INDEX "generation_units_item_idx" ON "generation_units" USING btree ("item_id");--> statement-breakpoint
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_endpoint_id_model_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."model_endpoints"("id") ON DELETE restrict ON UPDATE no action NOT VALID;--> statement-breakpoint
ALTER TABLE "candidates" VALIDATE CONSTRAINT "candidates_endpoint_id_model_endpoints_id_fk";--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "candidates_item_endpoint_sample_key" ON "candidates" USING btree ("item_id","endpoint_id","sample_index") WHERE "candidates"."endpoint_id" is not null;--> statement-breakpoint
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_generated_has_sample" CHECK (("candidates"."endpoint_id" is null) = ("candidates"."sample_index" is null) and ("candidates"."sample_index" is null or "candidates"."sample_index" >= 0)) NOT VALID;--> statement-breakpoint
ALTER TABLE "candidates" VALIDATE CONSTRAINT "candidates_generated_has_sample";--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_scopes_known" CHECK (cardinality("api_tokens"."scopes") > 0 and "api_tokens"."scopes" <@ array['import', 'export', 'stats', 'annotate', 'generate']::text[]) NOT VALID;--> statement-breakpoint
ALTER TABLE "api_tokens" VALIDATE CONSTRAINT "api_tokens_scopes_known";