import { bigint, boolean, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { idColumn, instant } from "./columns";

/**
 * The dashboard's statistics summary (docs/statistics.md, "Summary"): additive "facts"
 * per task and per item, and their per-project totals, so that a cold dashboard reads a
 * few thousand totals instead of aggregating a million judgments.
 *
 * Writers only log which tasks changed (`stats_dirty`, by a trigger on judgments and on
 * tasks.gold: one INSERT, no lock, no contention); the dashboard folds the logged tasks
 * into the facts and totals before it reads (`foldStatsSummary`, serialised per project).
 */

/** Tasks whose valid judgments (or gold answer) changed since the last fold; insert-only. */
export const statsDirty = pgTable(
  "stats_dirty",
  {
    projectId: idColumn("project_id").notNull(),
    taskId: idColumn("task_id").notNull(),
  },
  (t) => [index("stats_dirty_project_idx").on(t.projectId)],
);

/**
 * One owner's facts as folded: a task's (agreement pattern, majority, behaviour, dates,
 * seconds, ratings) or an item's (its leaderboard entries). `keys[i]` is a JSON array
 * text naming the fact, `counts[i]` how many times it holds.
 */
export const statsFacts = pgTable(
  "stats_facts",
  {
    projectId: idColumn("project_id").notNull(),
    isItem: boolean("is_item").notNull(),
    ownerId: idColumn("owner_id").notNull(),
    keys: text("keys").array().notNull(),
    counts: integer("counts").array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.isItem, t.ownerId] })],
);

/** Σ of every owner's facts per project: what the dashboard reads. */
export const statsTotals = pgTable(
  "stats_totals",
  {
    projectId: idColumn("project_id").notNull(),
    key: text("key").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.key] })],
);

/**
 * Per project: which version of the fact definitions the summary holds (a new version in
 * the code rebuilds it) and when it was last folded.
 */
export const statsState = pgTable("stats_state", {
  projectId: idColumn("project_id")
    .primaryKey()
    .references(() => projects.id, { onDelete: "cascade" }),
  factsVersion: integer("facts_version").notNull(),
  foldedAt: instant("folded_at").notNull().defaultNow(),
});
