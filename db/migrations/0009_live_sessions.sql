CREATE TYPE "public"."live_node_kind" AS ENUM('greeting', 'user', 'candidate', 'edit');--> statement-breakpoint
CREATE TYPE "public"."live_session_state" AS ENUM('active', 'ended');--> statement-breakpoint
CREATE TYPE "public"."project_kind" AS ENUM('static', 'live');--> statement-breakpoint
ALTER TYPE "public"."export_kind" ADD VALUE 'tree';--> statement-breakpoint
CREATE TABLE "live_judgments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_judgments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"turn_id" bigint NOT NULL,
	"session_id" bigint NOT NULL,
	"annotator_id" bigint NOT NULL,
	"candidate_node_ids" bigint[] NOT NULL,
	"labels" text[] NOT NULL,
	"strength" smallint,
	"ranks" smallint[],
	"both_unacceptable" boolean DEFAULT false NOT NULL,
	"ratings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"unsafe" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rationale" text,
	"seconds" real,
	"chosen_node_id" bigint,
	"edit_node_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_judgments_one_answer" CHECK ((case when "live_judgments"."strength" is not null then 1 else 0 end) + (case when "live_judgments"."ranks" is not null then 1 else 0 end) + (case when "live_judgments"."both_unacceptable" then 1 else 0 end) = 1),
	CONSTRAINT "live_judgments_slots" CHECK (cardinality("live_judgments"."candidate_node_ids") between 2 and 4 and cardinality("live_judgments"."labels") = cardinality("live_judgments"."candidate_node_ids") and ("live_judgments"."ranks" is null or cardinality("live_judgments"."ranks") = cardinality("live_judgments"."candidate_node_ids"))),
	CONSTRAINT "live_judgments_strength_pairwise" CHECK ("live_judgments"."strength" is null or ("live_judgments"."strength" between -3 and 3 and cardinality("live_judgments"."candidate_node_ids") = 2)),
	CONSTRAINT "live_judgments_continuation" CHECK ("live_judgments"."chosen_node_id" is not null or "live_judgments"."edit_node_id" is not null),
	CONSTRAINT "live_judgments_chosen_compared" CHECK ("live_judgments"."chosen_node_id" is null or "live_judgments"."chosen_node_id" = any("live_judgments"."candidate_node_ids"))
);
--> statement-breakpoint
CREATE TABLE "live_nodes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_nodes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"session_id" bigint NOT NULL,
	"parent_id" bigint,
	"turn_id" bigint,
	"kind" "live_node_kind" NOT NULL,
	"text" text NOT NULL,
	"slot" smallint,
	"edit_of" bigint,
	"author_id" bigint,
	"endpoint_id" bigint,
	"endpoint_name" text,
	"model" text,
	"params" jsonb,
	"seed" bigint,
	"finish_reason" text,
	"response_id" text,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"ttft_ms" real,
	"total_ms" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_nodes_session_id_key" UNIQUE("session_id","id"),
	CONSTRAINT "live_nodes_shape" CHECK (case "live_nodes"."kind"
        when 'greeting' then "live_nodes"."parent_id" is null and "live_nodes"."turn_id" is null and "live_nodes"."slot" is null and "live_nodes"."edit_of" is null
        when 'user' then "live_nodes"."parent_id" is not null and "live_nodes"."turn_id" is not null and "live_nodes"."slot" is null and "live_nodes"."edit_of" is null and "live_nodes"."author_id" is not null and length(btrim("live_nodes"."text")) > 0
        when 'candidate' then "live_nodes"."parent_id" is not null and "live_nodes"."turn_id" is not null and "live_nodes"."slot" between 0 and 3 and "live_nodes"."edit_of" is null and "live_nodes"."model" is not null and "live_nodes"."endpoint_name" is not null
        when 'edit' then "live_nodes"."parent_id" is not null and "live_nodes"."turn_id" is not null and "live_nodes"."slot" is null and "live_nodes"."author_id" is not null and length(btrim("live_nodes"."text")) > 0
      end)
);
--> statement-breakpoint
CREATE TABLE "live_regenerations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_regenerations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"session_id" bigint NOT NULL,
	"turn_id" bigint NOT NULL,
	"replaces_node_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_sessions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" bigint NOT NULL,
	"annotator_id" bigint NOT NULL,
	"character_id" bigint NOT NULL,
	"scene" text,
	"user_role" text,
	"per_turn" smallint NOT NULL,
	"turn_budget" smallint NOT NULL,
	"seed" bigint NOT NULL,
	"state" "live_session_state" DEFAULT 'active' NOT NULL,
	"ended_at" timestamp with time zone,
	"rating" smallint,
	"rating_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_sessions_per_turn_range" CHECK ("live_sessions"."per_turn" between 2 and 4),
	CONSTRAINT "live_sessions_turn_budget_range" CHECK ("live_sessions"."turn_budget" between 1 and 200),
	CONSTRAINT "live_sessions_ended_at" CHECK (("live_sessions"."state" = 'ended') = ("live_sessions"."ended_at" is not null)),
	CONSTRAINT "live_sessions_rating_range" CHECK ("live_sessions"."rating" is null or ("live_sessions"."rating" between 1 and 5 and "live_sessions"."state" = 'ended'))
);
--> statement-breakpoint
CREATE TABLE "live_turns" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_turns_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"session_id" bigint NOT NULL,
	"turn_index" smallint NOT NULL,
	"labels" text[] NOT NULL,
	"slot_endpoint_ids" bigint[] NOT NULL,
	"judged" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_turns_session_id_key" UNIQUE("session_id","id"),
	CONSTRAINT "live_turns_index_positive" CHECK ("live_turns"."turn_index" >= 1),
	CONSTRAINT "live_turns_slots" CHECK (cardinality("live_turns"."labels") between 2 and 4 and cardinality("live_turns"."slot_endpoint_ids") = cardinality("live_turns"."labels") and "live_turns"."labels" = (array['A','B','C','D'])[1:cardinality("live_turns"."labels")])
);
--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "kind" "project_kind" DEFAULT 'static' NOT NULL;--> statement-breakpoint
ALTER TABLE "live_judgments" ADD CONSTRAINT "live_judgments_annotator_id_users_id_fk" FOREIGN KEY ("annotator_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_judgments" ADD CONSTRAINT "live_judgments_turn_fk" FOREIGN KEY ("session_id","turn_id") REFERENCES "public"."live_turns"("session_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_judgments" ADD CONSTRAINT "live_judgments_chosen_fk" FOREIGN KEY ("session_id","chosen_node_id") REFERENCES "public"."live_nodes"("session_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_judgments" ADD CONSTRAINT "live_judgments_edit_fk" FOREIGN KEY ("session_id","edit_node_id") REFERENCES "public"."live_nodes"("session_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_nodes" ADD CONSTRAINT "live_nodes_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_nodes" ADD CONSTRAINT "live_nodes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_nodes" ADD CONSTRAINT "live_nodes_parent_fk" FOREIGN KEY ("session_id","parent_id") REFERENCES "public"."live_nodes"("session_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_nodes" ADD CONSTRAINT "live_nodes_edit_of_fk" FOREIGN KEY ("session_id","edit_of") REFERENCES "public"."live_nodes"("session_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_nodes" ADD CONSTRAINT "live_nodes_turn_fk" FOREIGN KEY ("session_id","turn_id") REFERENCES "public"."live_turns"("session_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_regenerations" ADD CONSTRAINT "live_regenerations_turn_fk" FOREIGN KEY ("session_id","turn_id") REFERENCES "public"."live_turns"("session_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_regenerations" ADD CONSTRAINT "live_regenerations_node_fk" FOREIGN KEY ("session_id","replaces_node_id") REFERENCES "public"."live_nodes"("session_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_annotator_id_users_id_fk" FOREIGN KEY ("annotator_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_character_id_characters_id_fk" FOREIGN KEY ("character_id") REFERENCES "public"."characters"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_turns" ADD CONSTRAINT "live_turns_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "live_judgments_turn_key" ON "live_judgments" USING btree ("turn_id");--> statement-breakpoint
CREATE UNIQUE INDEX "live_nodes_one_root_key" ON "live_nodes" USING btree ("session_id") WHERE "live_nodes"."parent_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "live_nodes_turn_user_key" ON "live_nodes" USING btree ("turn_id") WHERE "live_nodes"."kind" = 'user';--> statement-breakpoint
CREATE UNIQUE INDEX "live_nodes_turn_edit_key" ON "live_nodes" USING btree ("turn_id") WHERE "live_nodes"."kind" = 'edit';--> statement-breakpoint
CREATE INDEX "live_nodes_turn_slot_idx" ON "live_nodes" USING btree ("turn_id","slot","id");--> statement-breakpoint
CREATE INDEX "live_nodes_parent_idx" ON "live_nodes" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "live_regenerations_node_key" ON "live_regenerations" USING btree ("replaces_node_id");--> statement-breakpoint
CREATE INDEX "live_regenerations_turn_idx" ON "live_regenerations" USING btree ("turn_id");--> statement-breakpoint
CREATE INDEX "live_sessions_annotator_idx" ON "live_sessions" USING btree ("annotator_id","project_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "live_sessions_project_idx" ON "live_sessions" USING btree ("project_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "live_turns_one_open_key" ON "live_turns" USING btree ("session_id") WHERE not "live_turns"."judged";