import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  jsonb,
  pgTable,
  real,
  smallint,
  text,
  unique,
  uniqueIndex,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { items, type GoldAnswer } from "./content";
import { assignmentState, judgmentState, reviewVerdict, taskKind } from "./enums";
import { projects } from "./projects";
import { users } from "./users";
import { createdAt, idColumn, identity, instant, optionalReference, reference } from "./columns";

/** Per-candidate 1–5 ratings: candidate index (canonical) → dimension key → rating. */
export type Ratings = Record<string, Record<string, number>>;
/** Per-candidate safety flags: candidate index (canonical) → category. */
export type UnsafeFlags = Record<string, string>;
/** Per-candidate role-play flags: candidate index (canonical) → flags (see ROLEPLAY_FLAGS). */
export type RoleplayFlags = Record<string, string[]>;
/** A lead's final label for a task; overrides the vote in exports. */
export type AdjudicatedLabel = { strength?: number; ranks?: number[]; bothUnacceptable?: boolean };

/**
 * What an annotator judges: an item with the candidates to compare, in canonical order
 * (candidate_ids[0] = "A"). Needs `overlap` valid judgments from distinct annotators.
 */
export const tasks = pgTable(
  "tasks",
  {
    id: identity(),
    projectId: idColumn("project_id").notNull(),
    itemId: reference("item_id", () => items.id, "cascade"),
    kind: taskKind("kind").notNull(),
    candidateIds: idColumn("candidate_ids").array().notNull(),
    /** Always the project's scale (composite foreign key below; follows it on update). */
    scalePoints: smallint("scale_points").notNull(),
    overlap: smallint("overlap").notNull(),
    /**
     * Count of valid judgments, maintained by a trigger on judgments; its CHECK makes
     * "never more valid judgments than overlap" a database invariant, whatever the caller.
     */
    validJudgments: smallint("valid_judgments").notNull().default(0),
    /**
     * Judgments asked for beyond the project's overlap because the task's consensus stayed
     * uncertain (adaptive overlap); already included in `overlap`, which only ever grows by it.
     */
    extraOverlap: smallint("extra_overlap").notNull().default(0),
    /**
     * Where the task stands in its project's serving order among tasks with as many valid
     * judgments: 0 under uniform pair sampling (id order); under active sampling a weighted
     * random key −ln(u)/w, w the task's active-sampling weight (lib/services/pair-sampling.ts),
     * so informative pairs come first more often. Order only: no invariant depends on it.
     */
    samplingRank: doublePrecision("sampling_rank").notNull().default(0),
    gold: jsonb("gold").$type<GoldAnswer>(),
    goldRetiredAt: instant("gold_retired_at"),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: "tasks_project_scale_fk",
      columns: [t.projectId, t.scalePoints],
      foreignColumns: [projects.id, projects.scalePoints],
    })
      .onUpdate("cascade")
      .onDelete("cascade"),
    // Target of judgments' composite key: a judgment's scale and kind are its task's.
    unique("tasks_id_scale_kind_key").on(t.id, t.scalePoints, t.kind),
    // Task generation is idempotent: one task per item and candidate set.
    unique("tasks_item_candidates_key").on(t.itemId, t.candidateIds),
    // Annotator loop: open tasks of a project, closest to completion first, then by sampling rank.
    index("tasks_open_ranked_idx")
      .on(t.projectId, t.validJudgments.desc(), t.samplingRank, t.id)
      .where(sql`${t.validJudgments} < ${t.overlap}`),
    // Gold injection: active gold tasks of a project.
    index("tasks_gold_idx").on(t.projectId).where(sql`${t.gold} is not null and ${t.goldRetiredAt} is null`),
    // Exports and statistics walk a project's tasks in id order.
    index("tasks_project_idx").on(t.projectId, t.id),
    check("tasks_overlap_range", sql`${t.overlap} between 1 and 1000`),
    check("tasks_sampling_rank_range", sql`${t.samplingRank} >= 0 and ${t.samplingRank} < 'Infinity'::float8`),
    // The extra judgments are part of the overlap: the base overlap (overlap − extra) stays ≥ 1.
    check("tasks_extra_overlap_range", sql`${t.extraOverlap} between 0 and 20 and ${t.extraOverlap} < ${t.overlap}`),
    check("tasks_valid_judgments_within_overlap", sql`${t.validJudgments} >= 0 and ${t.validJudgments} <= ${t.overlap}`),
    check(
      "tasks_candidate_count",
      sql`cardinality(${t.candidateIds}) between 2 and 16 and (${t.kind} = 'ranking' or cardinality(${t.candidateIds}) = 2)`,
    ),
  ],
);

/** A lease: a task handed to one annotator until it expires or is submitted or skipped. */
export const assignments = pgTable(
  "assignments",
  {
    id: identity(),
    taskId: reference("task_id", () => tasks.id, "cascade"),
    projectId: reference("project_id", () => projects.id, "cascade"),
    annotatorId: reference("annotator_id", () => users.id, "restrict"),
    /** displayOrder[j] = canonical index of the candidate shown in slot j (0 = left). */
    displayOrder: smallint("display_order").array().notNull(),
    state: assignmentState("state").notNull().default("active"),
    leasedAt: instant("leased_at").notNull().defaultNow(),
    expiresAt: instant("expires_at").notNull(),
    finishedAt: instant("finished_at"),
    skipReason: text("skip_reason"),
    skipNote: text("skip_note"),
  },
  (t) => [
    // One live lease per annotator and task.
    uniqueIndex("assignments_live_key").on(t.taskId, t.annotatorId).where(sql`${t.state} = 'active'`),
    // Resume a live lease after reload; count leases against the project's cap.
    index("assignments_annotator_live_idx").on(t.annotatorId, t.projectId).where(sql`${t.state} = 'active'`),
    // Live leases per task (a task is full when valid judgments + live leases reach overlap).
    index("assignments_task_live_idx").on(t.taskId).where(sql`${t.state} = 'active'`),
    // "Never a task this annotator judged or skipped".
    index("assignments_annotator_task_idx").on(t.annotatorId, t.taskId),
    check("assignments_expiry_after_lease", sql`${t.expiresAt} > ${t.leasedAt}`),
    check("assignments_skip_reason_known", sql`${t.skipReason} is null or ${t.skipReason} in ('cannot_judge', 'broken_content', 'other')`),
    check("assignments_skip_has_reason", sql`(${t.state} = 'skipped') = (${t.skipReason} is not null)`),
  ],
);

/** One annotator's answer to one task, stored in canonical candidate order. */
export const judgments = pgTable(
  "judgments",
  {
    id: identity(),
    taskId: idColumn("task_id").notNull(),
    kind: taskKind("kind").notNull(),
    scalePoints: smallint("scale_points").notNull(),
    assignmentId: reference("assignment_id", () => assignments.id, "restrict"),
    annotatorId: reference("annotator_id", () => users.id, "restrict"),
    projectId: reference("project_id", () => projects.id, "restrict"),
    /** Pairwise: negative prefers A, positive prefers B, 0 = tie. */
    strength: smallint("strength"),
    /** K-wise: ranks[i] = rank of canonical candidate i, 1 = best. */
    ranks: smallint("ranks").array(),
    /** "Both unacceptable": no preference; listed for rewriting, never a DPO pair. */
    bothUnacceptable: boolean("both_unacceptable").notNull().default(false),
    ratings: jsonb("ratings").$type<Ratings>().notNull().default({}),
    unsafe: jsonb("unsafe").$type<UnsafeFlags>().notNull().default({}),
    /** Role-play faults per reply: out of character, speaks or acts for the user, reveals it is an AI. */
    roleplayFlags: jsonb("roleplay_flags").$type<RoleplayFlags>().notNull().default({}),
    rationale: text("rationale"),
    /** The order actually shown (see assignments.display_order). */
    displayOrder: smallint("display_order").array().notNull(),
    /** Visible-tab seconds from first render to submit, measured by the client. */
    seconds: real("seconds"),
    state: judgmentState("state").notNull().default("valid"),
    /** The judgment this one replaced through an edit (that one is now superseded). */
    supersedesId: optionalReference("supersedes_id", (): AnyPgColumn => judgments.id, "restrict"),
    createdAt: createdAt(),
    stateChangedAt: instant("state_changed_at"),
  },
  (t) => [
    // Judgments are never deleted by a cascade: a task, item or project with judgments
    // cannot be deleted (archive the project instead).
    foreignKey({
      name: "judgments_task_scale_kind_fk",
      columns: [t.taskId, t.scalePoints, t.kind],
      foreignColumns: [tasks.id, tasks.scalePoints, tasks.kind],
    }).onDelete("restrict"),
    // At most one live judgment per task and annotator.
    uniqueIndex("judgments_live_per_annotator_key").on(t.taskId, t.annotatorId).where(sql`${t.state} <> 'superseded'`),
    // A retried submit finds the judgment already stored for its assignment.
    uniqueIndex("judgments_live_per_assignment_key").on(t.assignmentId).where(sql`${t.state} <> 'superseded'`),
    // Aggregation and exports: valid judgments of a task, in task order.
    index("judgments_task_valid_idx").on(t.taskId).where(sql`${t.state} = 'valid'`),
    // Exports: every judgment of a task (every state), read per task on the sorted task stream.
    index("judgments_task_id_idx").on(t.taskId, t.id),
    // Dashboard throughput and date filters.
    index("judgments_project_created_idx").on(t.projectId, t.createdAt),
    // History page and per-annotator statistics.
    index("judgments_annotator_created_idx").on(t.annotatorId, t.createdAt),
    // Dashboard counts of role-play flags: only the (few) flagged judgments are in it.
    index("judgments_project_roleplay_flagged_idx").on(t.projectId).where(sql`${t.roleplayFlags} <> '{}'::jsonb`),
    check(
      "judgments_strength_within_scale",
      sql`${t.strength} is null or (${t.strength} between -(${t.scalePoints} / 2) and ${t.scalePoints} / 2 and (${t.strength} <> 0 or ${t.scalePoints} % 2 = 1))`,
    ),
    check(
      "judgments_answer_shape",
      sql`(${t.bothUnacceptable} and ${t.strength} is null and ${t.ranks} is null) or (not ${t.bothUnacceptable} and ((${t.kind} = 'pairwise' and ${t.strength} is not null and ${t.ranks} is null) or (${t.kind} = 'ranking' and ${t.ranks} is not null and ${t.strength} is null)))`,
    ),
    check(
      "judgments_ranks_range",
      sql`${t.ranks} is null or (cardinality(${t.ranks}) between 2 and 16 and 1 <= all(${t.ranks}) and cardinality(${t.ranks}) >= all(${t.ranks}))`,
    ),
    check("judgments_seconds_range", sql`${t.seconds} is null or ${t.seconds} between 0 and 86400`),
    check("judgments_rationale_length", sql`${t.rationale} is null or length(${t.rationale}) <= 10000`),
  ],
);

/** A lead's verdict on a judgment (accept / reject) or a final label for a task (adjudicate). */
export const reviews = pgTable(
  "reviews",
  {
    id: identity(),
    projectId: reference("project_id", () => projects.id, "restrict"),
    taskId: reference("task_id", () => tasks.id, "restrict"),
    judgmentId: optionalReference("judgment_id", () => judgments.id, "restrict"),
    reviewerId: reference("reviewer_id", () => users.id, "restrict"),
    verdict: reviewVerdict("verdict").notNull(),
    label: jsonb("label").$type<AdjudicatedLabel>(),
    note: text("note").notNull().default(""),
    createdAt: createdAt(),
    /** A later review replaced this one (kept for the record). */
    revokedAt: instant("revoked_at"),
  },
  (t) => [
    // One standing adjudication per task.
    uniqueIndex("reviews_adjudication_key").on(t.taskId).where(sql`${t.verdict} = 'adjudicate' and ${t.revokedAt} is null`),
    index("reviews_judgment_idx").on(t.judgmentId),
    index("reviews_project_created_idx").on(t.projectId, t.createdAt),
    check(
      "reviews_target_matches_verdict",
      sql`(${t.verdict} = 'adjudicate' and ${t.judgmentId} is null and ${t.label} is not null) or (${t.verdict} <> 'adjudicate' and ${t.judgmentId} is not null and ${t.label} is null)`,
    ),
  ],
);

export type Task = typeof tasks.$inferSelect;
export type NewTask = typeof tasks.$inferInsert;
export type Assignment = typeof assignments.$inferSelect;
export type NewAssignment = typeof assignments.$inferInsert;
export type Judgment = typeof judgments.$inferSelect;
export type NewJudgment = typeof judgments.$inferInsert;
export type Review = typeof reviews.$inferSelect;
