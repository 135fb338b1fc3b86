import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, smallint, text, unique } from "drizzle-orm/pg-core";
import { candidates, items } from "./content";
import { generationJobState, generationUnitState } from "./enums";
import { modelEndpoints, type SamplingParams } from "./models";
import { projects } from "./projects";
import { users } from "./users";
import { createdAt, identity, instant, optionalReference, reference, updatedAt } from "./columns";

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
    id: identity(),
    projectId: reference("project_id", () => projects.id, "cascade"),
    createdBy: optionalReference("created_by", () => users.id, "set null"),
    state: generationJobState("state").notNull().default("running"),
    /** Samples asked of each endpoint for each item. */
    samples: smallint("samples").notNull(),
    filter: jsonb("filter").$type<GenerationFilter>().notNull(),
    /** Sampling parameters that override the endpoints' defaults for this job. */
    params: jsonb("params").$type<SamplingParams>().notNull().default({}),
    /** Units planned when the job was created (item × endpoint × sample index not yet generated). */
    total: integer("total").notNull(),
    createdAt: createdAt(),
    finishedAt: instant("finished_at"),
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
    id: identity(),
    jobId: reference("job_id", () => generationJobs.id, "cascade"),
    itemId: reference("item_id", () => items.id, "cascade"),
    endpointId: reference("endpoint_id", () => modelEndpoints.id, "restrict"),
    sampleIndex: smallint("sample_index").notNull(),
    state: generationUnitState("state").notNull().default("pending"),
    /** Requests sent for this unit so far (retries included). */
    attempts: smallint("attempts").notNull().default(0),
    /** The endpoint's last error (status and message), never a key or a header. */
    error: text("error"),
    candidateId: optionalReference("candidate_id", () => candidates.id, "set null"),
    updatedAt: updatedAt(),
    finishedAt: instant("finished_at"),
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
