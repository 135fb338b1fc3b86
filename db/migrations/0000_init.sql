CREATE TYPE "public"."assignment_state" AS ENUM('active', 'submitted', 'skipped', 'expired', 'released');--> statement-breakpoint
CREATE TYPE "public"."comparison_mode" AS ENUM('pairwise', 'ranking');--> statement-breakpoint
CREATE TYPE "public"."export_kind" AS ENUM('dpo', 'rm', 'kto', 'raw');--> statement-breakpoint
CREATE TYPE "public"."export_status" AS ENUM('running', 'done', 'failed');--> statement-breakpoint
CREATE TYPE "public"."judgment_state" AS ENUM('valid', 'rejected', 'superseded');--> statement-breakpoint
CREATE TYPE "public"."member_status" AS ENUM('active', 'paused', 'qualification');--> statement-breakpoint
CREATE TYPE "public"."project_status" AS ENUM('draft', 'active', 'paused', 'archived');--> statement-breakpoint
CREATE TYPE "public"."review_verdict" AS ENUM('accept', 'reject', 'adjudicate');--> statement-breakpoint
CREATE TYPE "public"."task_kind" AS ENUM('pairwise', 'ranking');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('annotator', 'researcher', 'lead', 'admin');--> statement-breakpoint
CREATE TABLE "sign_in_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"first_failed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"blocked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"password_hash" text,
	"role" "user_role" DEFAULT 'annotator' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"oidc_subject" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	"session_version" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "users_email_lowercase" CHECK ("users"."email" = lower("users"."email") and position('@' in "users"."email") > 1),
	CONSTRAINT "users_locale_known" CHECK ("users"."locale" in ('en', 'zh-CN'))
);
--> statement-breakpoint
CREATE TABLE "project_members" (
	"project_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"status" "member_status" DEFAULT 'active' NOT NULL,
	"excluded_from_exports" boolean DEFAULT false NOT NULL,
	"added_by" bigint,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_members_project_id_user_id_pk" PRIMARY KEY("project_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "projects_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"guidelines" text DEFAULT '' NOT NULL,
	"status" "project_status" DEFAULT 'draft' NOT NULL,
	"mode" "comparison_mode" DEFAULT 'pairwise' NOT NULL,
	"scale_points" smallint DEFAULT 7 NOT NULL,
	"overlap" smallint DEFAULT 3 NOT NULL,
	"settings" jsonb NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_id_scale_key" UNIQUE("id","scale_points"),
	CONSTRAINT "projects_slug_format" CHECK ("projects"."slug" ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
	CONSTRAINT "projects_scale_points" CHECK ("projects"."scale_points" in (2, 3, 5, 7)),
	CONSTRAINT "projects_overlap_range" CHECK ("projects"."overlap" between 1 and 20)
);
--> statement-breakpoint
CREATE TABLE "system_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "candidates" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "candidates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"item_id" bigint NOT NULL,
	"position" smallint NOT NULL,
	"model" text NOT NULL,
	"model_version" text,
	"content" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "candidates_item_position_key" UNIQUE("item_id","position"),
	CONSTRAINT "candidates_position_range" CHECK ("candidates"."position" between 0 and 15),
	CONSTRAINT "candidates_model_nonempty" CHECK (length(btrim("candidates"."model")) > 0)
);
--> statement-breakpoint
CREATE TABLE "characters" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "characters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"profile" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "characters_name_nonempty" CHECK (length(btrim("characters"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" bigint NOT NULL,
	"external_id" text NOT NULL,
	"character_id" bigint NOT NULL,
	"scene" text,
	"context" jsonb NOT NULL,
	"gold" jsonb,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"language" text,
	"content_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "items_external_id_nonempty" CHECK (length("items"."external_id") between 1 and 200),
	CONSTRAINT "items_context_is_array" CHECK (jsonb_typeof("items"."context") = 'array' and jsonb_array_length("items"."context") > 0)
);
--> statement-breakpoint
CREATE TABLE "project_characters" (
	"project_id" bigint NOT NULL,
	"character_id" bigint NOT NULL,
	CONSTRAINT "project_characters_project_id_character_id_pk" PRIMARY KEY("project_id","character_id")
);
--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assignments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"task_id" bigint NOT NULL,
	"project_id" bigint NOT NULL,
	"annotator_id" bigint NOT NULL,
	"display_order" smallint[] NOT NULL,
	"state" "assignment_state" DEFAULT 'active' NOT NULL,
	"leased_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"skip_reason" text,
	"skip_note" text,
	CONSTRAINT "assignments_expiry_after_lease" CHECK ("assignments"."expires_at" > "assignments"."leased_at"),
	CONSTRAINT "assignments_skip_reason_known" CHECK ("assignments"."skip_reason" is null or "assignments"."skip_reason" in ('cannot_judge', 'broken_content', 'other')),
	CONSTRAINT "assignments_skip_has_reason" CHECK (("assignments"."state" = 'skipped') = ("assignments"."skip_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "judgments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "judgments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"task_id" bigint NOT NULL,
	"kind" "task_kind" NOT NULL,
	"scale_points" smallint NOT NULL,
	"assignment_id" bigint NOT NULL,
	"annotator_id" bigint NOT NULL,
	"project_id" bigint NOT NULL,
	"strength" smallint,
	"ranks" smallint[],
	"both_unacceptable" boolean DEFAULT false NOT NULL,
	"ratings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"unsafe" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rationale" text,
	"display_order" smallint[] NOT NULL,
	"seconds" real,
	"state" "judgment_state" DEFAULT 'valid' NOT NULL,
	"supersedes_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"state_changed_at" timestamp with time zone,
	CONSTRAINT "judgments_strength_within_scale" CHECK ("judgments"."strength" is null or ("judgments"."strength" between -("judgments"."scale_points" / 2) and "judgments"."scale_points" / 2 and ("judgments"."strength" <> 0 or "judgments"."scale_points" % 2 = 1))),
	CONSTRAINT "judgments_answer_shape" CHECK (("judgments"."both_unacceptable" and "judgments"."strength" is null and "judgments"."ranks" is null) or (not "judgments"."both_unacceptable" and (("judgments"."kind" = 'pairwise' and "judgments"."strength" is not null and "judgments"."ranks" is null) or ("judgments"."kind" = 'ranking' and "judgments"."ranks" is not null and "judgments"."strength" is null)))),
	CONSTRAINT "judgments_ranks_range" CHECK ("judgments"."ranks" is null or (cardinality("judgments"."ranks") between 2 and 16 and 1 <= all("judgments"."ranks") and cardinality("judgments"."ranks") >= all("judgments"."ranks"))),
	CONSTRAINT "judgments_seconds_range" CHECK ("judgments"."seconds" is null or "judgments"."seconds" between 0 and 86400),
	CONSTRAINT "judgments_rationale_length" CHECK ("judgments"."rationale" is null or length("judgments"."rationale") <= 10000)
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reviews_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" bigint NOT NULL,
	"task_id" bigint NOT NULL,
	"judgment_id" bigint,
	"reviewer_id" bigint NOT NULL,
	"verdict" "review_verdict" NOT NULL,
	"label" jsonb,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "reviews_target_matches_verdict" CHECK (("reviews"."verdict" = 'adjudicate' and "reviews"."judgment_id" is null and "reviews"."label" is not null) or ("reviews"."verdict" <> 'adjudicate' and "reviews"."judgment_id" is not null and "reviews"."label" is null))
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tasks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" bigint NOT NULL,
	"item_id" bigint NOT NULL,
	"kind" "task_kind" NOT NULL,
	"candidate_ids" bigint[] NOT NULL,
	"scale_points" smallint NOT NULL,
	"overlap" smallint NOT NULL,
	"valid_judgments" smallint DEFAULT 0 NOT NULL,
	"gold" jsonb,
	"gold_retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tasks_id_scale_kind_key" UNIQUE("id","scale_points","kind"),
	CONSTRAINT "tasks_item_candidates_key" UNIQUE("item_id","candidate_ids"),
	CONSTRAINT "tasks_overlap_range" CHECK ("tasks"."overlap" between 1 and 1000),
	CONSTRAINT "tasks_valid_judgments_within_overlap" CHECK ("tasks"."valid_judgments" >= 0 and "tasks"."valid_judgments" <= "tasks"."overlap"),
	CONSTRAINT "tasks_candidate_count" CHECK (cardinality("tasks"."candidate_ids") between 2 and 16 and ("tasks"."kind" = 'ranking' or cardinality("tasks"."candidate_ids") = 2))
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"token_prefix" text NOT NULL,
	"scopes" text[] NOT NULL,
	"project_id" bigint,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_tokens_scopes_known" CHECK (cardinality("api_tokens"."scopes") > 0 and "api_tokens"."scopes" <@ array['import', 'export', 'stats', 'annotate']::text[])
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" bigint,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"project_id" bigint,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "exports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" bigint NOT NULL,
	"kind" "export_kind" NOT NULL,
	"format" text DEFAULT 'conversational' NOT NULL,
	"policy" jsonb NOT NULL,
	"status" "export_status" DEFAULT 'running' NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source_judgments" integer,
	"error" text,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_settings" ADD CONSTRAINT "system_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "characters" ADD CONSTRAINT "characters_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_character_id_characters_id_fk" FOREIGN KEY ("character_id") REFERENCES "public"."characters"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_characters" ADD CONSTRAINT "project_characters_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_characters" ADD CONSTRAINT "project_characters_character_id_characters_id_fk" FOREIGN KEY ("character_id") REFERENCES "public"."characters"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_annotator_id_users_id_fk" FOREIGN KEY ("annotator_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgments" ADD CONSTRAINT "judgments_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgments" ADD CONSTRAINT "judgments_annotator_id_users_id_fk" FOREIGN KEY ("annotator_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgments" ADD CONSTRAINT "judgments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgments" ADD CONSTRAINT "judgments_supersedes_id_judgments_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."judgments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgments" ADD CONSTRAINT "judgments_task_scale_kind_fk" FOREIGN KEY ("task_id","scale_points","kind") REFERENCES "public"."tasks"("id","scale_points","kind") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_judgment_id_judgments_id_fk" FOREIGN KEY ("judgment_id") REFERENCES "public"."judgments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_project_scale_fk" FOREIGN KEY ("project_id","scale_points") REFERENCES "public"."projects"("id","scale_points") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exports" ADD CONSTRAINT "exports_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exports" ADD CONSTRAINT "exports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "users_oidc_subject_key" ON "users" USING btree ("oidc_subject");--> statement-breakpoint
CREATE INDEX "users_role_idx" ON "users" USING btree ("role");--> statement-breakpoint
CREATE INDEX "project_members_user_idx" ON "project_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_slug_key" ON "projects" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "candidates_model_idx" ON "candidates" USING btree ("model");--> statement-breakpoint
CREATE UNIQUE INDEX "characters_content_hash_key" ON "characters" USING btree ("content_hash");--> statement-breakpoint
CREATE INDEX "characters_name_idx" ON "characters" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "items_project_external_id_key" ON "items" USING btree ("project_id","external_id");--> statement-breakpoint
CREATE INDEX "items_project_character_idx" ON "items" USING btree ("project_id","character_id");--> statement-breakpoint
CREATE INDEX "items_character_idx" ON "items" USING btree ("character_id");--> statement-breakpoint
CREATE INDEX "project_characters_character_idx" ON "project_characters" USING btree ("character_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assignments_live_key" ON "assignments" USING btree ("task_id","annotator_id") WHERE "assignments"."state" = 'active';--> statement-breakpoint
CREATE INDEX "assignments_annotator_live_idx" ON "assignments" USING btree ("annotator_id","project_id") WHERE "assignments"."state" = 'active';--> statement-breakpoint
CREATE INDEX "assignments_task_live_idx" ON "assignments" USING btree ("task_id") WHERE "assignments"."state" = 'active';--> statement-breakpoint
CREATE INDEX "assignments_annotator_task_idx" ON "assignments" USING btree ("annotator_id","task_id");--> statement-breakpoint
CREATE UNIQUE INDEX "judgments_live_per_annotator_key" ON "judgments" USING btree ("task_id","annotator_id") WHERE "judgments"."state" <> 'superseded';--> statement-breakpoint
CREATE UNIQUE INDEX "judgments_live_per_assignment_key" ON "judgments" USING btree ("assignment_id") WHERE "judgments"."state" <> 'superseded';--> statement-breakpoint
CREATE INDEX "judgments_task_valid_idx" ON "judgments" USING btree ("task_id") WHERE "judgments"."state" = 'valid';--> statement-breakpoint
CREATE INDEX "judgments_project_created_idx" ON "judgments" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "judgments_annotator_created_idx" ON "judgments" USING btree ("annotator_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_adjudication_key" ON "reviews" USING btree ("task_id") WHERE "reviews"."verdict" = 'adjudicate' and "reviews"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "reviews_judgment_idx" ON "reviews" USING btree ("judgment_id");--> statement-breakpoint
CREATE INDEX "reviews_project_created_idx" ON "reviews" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "tasks_open_idx" ON "tasks" USING btree ("project_id","valid_judgments" DESC NULLS LAST,"id") WHERE "tasks"."valid_judgments" < "tasks"."overlap";--> statement-breakpoint
CREATE INDEX "tasks_gold_idx" ON "tasks" USING btree ("project_id") WHERE "tasks"."gold" is not null and "tasks"."gold_retired_at" is null;--> statement-breakpoint
CREATE INDEX "tasks_project_idx" ON "tasks" USING btree ("project_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_project_at_idx" ON "audit_log" USING btree ("project_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_actor_at_idx" ON "audit_log" USING btree ("actor_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_action_at_idx" ON "audit_log" USING btree ("action","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "exports_project_created_idx" ON "exports" USING btree ("project_id","created_at" DESC NULLS LAST);