import { sql } from "drizzle-orm";
import { boolean, check, index, jsonb, pgTable, primaryKey, smallint, text, unique, uniqueIndex } from "drizzle-orm/pg-core";
import type { ProjectSettings } from "@/lib/validation/project-settings";
import { comparisonMode, memberStatus, projectKind, projectStatus } from "./enums";
import { users } from "./users";
import { createdAt, identity, instant, optionalReference, reference, updatedAt } from "./columns";

export const projects = pgTable(
  "projects",
  {
    id: identity(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Markdown, rendered sanitised. */
    guidelines: text("guidelines").notNull().default(""),
    status: projectStatus("status").notNull().default("draft"),
    /** `live` projects run sessions (settings.live) instead of a task queue. */
    kind: projectKind("kind").notNull().default("static"),
    /**
     * The settings the database itself must enforce are columns (mode, scale, overlap);
     * everything else lives in `settings`, validated by ProjectSettings at every boundary.
     */
    mode: comparisonMode("mode").notNull().default("pairwise"),
    scalePoints: smallint("scale_points").notNull().default(7),
    overlap: smallint("overlap").notNull().default(3),
    settings: jsonb("settings").$type<ProjectSettings>().notNull(),
    createdBy: optionalReference("created_by", () => users.id, "set null"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("projects_slug_key").on(t.slug),
    // Target of tasks' (project_id, scale_points) foreign key: a task's scale is its project's.
    unique("projects_id_scale_key").on(t.id, t.scalePoints),
    check("projects_slug_format", sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{1,62}$'`),
    check("projects_scale_points", sql`${t.scalePoints} in (2, 3, 5, 7)`),
    check("projects_overlap_range", sql`${t.overlap} between 1 and 20`),
  ],
);

/** Who works on a project. Per-project standing (paused, back in qualification, excluded). */
export const projectMembers = pgTable(
  "project_members",
  {
    projectId: reference("project_id", () => projects.id, "cascade"),
    userId: reference("user_id", () => users.id, "cascade"),
    status: memberStatus("status").notNull().default("active"),
    /** A lead's decision to leave this annotator's judgments out of exports (reversible). */
    excludedFromExports: boolean("excluded_from_exports").notNull().default(false),
    /** The standing a removed member had, restored when they are added again. */
    statusBeforeRemoval: memberStatus("status_before_removal"),
    addedBy: optionalReference("added_by", () => users.id, "set null"),
    addedAt: instant("added_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.userId] }),
    // Text comparison: a new enum value cannot be used in the migration that adds it.
    check(
      "project_members_removed_standing",
      sql`num_nonnulls(${t.statusBeforeRemoval}) = (${t.status}::text = 'removed')::int and coalesce(${t.statusBeforeRemoval}::text, '') <> 'removed'`,
    ),
    // "My projects" on the home page.
    index("project_members_user_idx").on(t.userId),
  ],
);

/** System settings an admin may change (key → JSON value). */
export const systemSettings = pgTable("system_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedBy: optionalReference("updated_by", () => users.id, "set null"),
  updatedAt: updatedAt(),
});

/**
 * Background upkeep of a project (lib/services/project-upkeep.ts): the refit of its
 * active-sampling ranks and its adaptive overlap after judgments arrive. One row per project
 * that has had upkeep; `claimedUntil` is held by the process doing it now, so several app
 * instances and workers never run a project's upkeep twice at once.
 */
export const projectUpkeep = pgTable("project_upkeep", {
  projectId: reference("project_id", () => projects.id, "cascade").primaryKey(),
  /** Set while a process runs the upkeep; a crashed process's claim lapses at this time. */
  claimedUntil: instant("claimed_until"),
  /** When the last run began: judgments written after it make the project due again. */
  startedAt: instant("started_at"),
  finishedAt: instant("finished_at"),
  /** What the last run did (ranks changed, tasks extended) or the error it met. */
  result: jsonb("result").$type<Record<string, unknown>>().notNull().default({}),
});

export type Project = typeof projects.$inferSelect;
export type NewProject = typeof projects.$inferInsert;
export type ProjectMember = typeof projectMembers.$inferSelect;
export type ProjectUpkeep = typeof projectUpkeep.$inferSelect;
