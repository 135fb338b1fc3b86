import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, smallint, text, timestamp, unique } from "drizzle-orm/pg-core";
import { candidates, items } from "./content";
import { generationJobState, generationUnitState } from "./enums";
import { modelEndpoints, type SamplingParams } from "./models";
import { projects } from "./projects";
import { users } from "./users";

/** Which items a generation job covers (stored as asked, for the job's report). */
export type GenerationFilter = {
  /** Only items that still have fewer candidates than the project's comparison needs. */
  onlyMissing: boolean;
  /** Only these external ids (all items when absent). */
  externalIds?: string[];
  /** Only items of this character (by name). */
  character?: string;
};

/**
 * A "fill candidates" request: K samples per item from one or more endpoints. Its
 * units are the durable record of the work; the queue (pg-boss) only dispatches them.
 */
export const generationJobs = pgTable(
  "generation_jobs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    projectId: bigint("project_id", { mode: "number" })
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    createdBy: bigint("created_by", { mode: "number" }).references(() => users.id, { onDelete: "set null" }),
    state: generationJobState("state").notNull().default("running"),
    /** Samples asked of each endpoint for each item. */
    samples: smallint("samples").notNull(),
    filter: jsonb("filter").$type<GenerationFilter>().notNull(),
    /** Sampling parameters that override the endpoints' defaults for this job. */
    params: jsonb("params").$type<SamplingParams>().notNull().default({}),
    /** Units planned when the job was created (item × endpoint × sample index not yet generated). */
    total: integer("total").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("generation_jobs_project_idx").on(t.projectId, t.createdAt),
    check("generation_jobs_samples_range", sql`${t.samples} between 1 and 16`),
    check("generation_jobs_total_nonnegative", sql`${t.total} >= 0`),
  ],
);

/**
 * One request to make: item × endpoint × sample index within a job. Done units point at
 * their candidate; failed ones keep the endpoint's last error and can be retried alone.
 */
export const generationUnits = pgTable(
  "generation_units",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    jobId: bigint("job_id", { mode: "number" })
      .notNull()
      .references(() => generationJobs.id, { onDelete: "cascade" }),
    itemId: bigint("item_id", { mode: "number" })
      .notNull()
      .references(() => items.id, { onDelete: "cascade" }),
    endpointId: bigint("endpoint_id", { mode: "number" })
      .notNull()
      .references(() => modelEndpoints.id, { onDelete: "restrict" }),
    sampleIndex: smallint("sample_index").notNull(),
    state: generationUnitState("state").notNull().default("pending"),
    /** Requests sent for this unit so far (retries included). */
    attempts: smallint("attempts").notNull().default(0),
    /** The endpoint's last error (status and message), never a key or a header. */
    error: text("error"),
    candidateId: bigint("candidate_id", { mode: "number" }).references(() => candidates.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    unique("generation_units_job_item_endpoint_sample_key").on(t.jobId, t.itemId, t.endpointId, t.sampleIndex),
    // Progress counts and the error list of a job.
    index("generation_units_job_state_idx").on(t.jobId, t.state),
    index("generation_units_item_idx").on(t.itemId),
    check("generation_units_sample_range", sql`${t.sampleIndex} between 0 and 15`),
    check("generation_units_done_is_finished", sql`${t.state} <> 'done' or ${t.finishedAt} is not null`),
  ],
);

export type GenerationJob = typeof generationJobs.$inferSelect;
export type GenerationUnit = typeof generationUnits.$inferSelect;
