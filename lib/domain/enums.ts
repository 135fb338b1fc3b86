/**
 * The value lists of the database's enum types, and their unions. db/schema/enums.ts builds
 * its pgEnums from these lists, so the database, the zod schemas and every type below say
 * the same thing; import from here (not from db/schema) where code must stay free of
 * drizzle, such as client components and lib/domain.
 */

export const USER_ROLES = ["annotator", "researcher", "lead", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const PROJECT_STATUSES = ["draft", "active", "paused", "archived"] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** How a project compares candidates; a task's kind is its project's mode. */
export const COMPARISON_MODES = ["pairwise", "ranking"] as const;
export type ComparisonMode = (typeof COMPARISON_MODES)[number];

/**
 * A member's standing in a project. "removed" keeps the row, and with it a lead's decisions
 * (the earlier standing in status_before_removal, the export exclusion), so that removing
 * and re-adding someone cannot undo them.
 */
export const MEMBER_STATUSES = ["active", "paused", "qualification", "removed"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const TASK_KINDS = COMPARISON_MODES;
export type TaskKind = ComparisonMode;

export const ASSIGNMENT_STATES = ["active", "submitted", "skipped", "expired", "released"] as const;
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number];

export const JUDGMENT_STATES = ["valid", "rejected", "superseded"] as const;
export type JudgmentState = (typeof JUDGMENT_STATES)[number];

export const REVIEW_VERDICTS = ["accept", "reject", "adjudicate"] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

/** `tree` (the Open-Assistant-style session trees) is for live projects only. */
export const EXPORT_KINDS = ["dpo", "rm", "kto", "raw", "tree"] as const;
export type ExportKindName = (typeof EXPORT_KINDS)[number];

export const EXPORT_STATUSES = ["running", "done", "failed"] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** `static`: imported items judged in a queue; `live`: sessions where the annotator plays the user. */
export const PROJECT_KINDS = ["static", "live"] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

export const LIVE_SESSION_STATES = ["active", "ended"] as const;
export type LiveSessionState = (typeof LIVE_SESSION_STATES)[number];

export const LIVE_NODE_KINDS = ["greeting", "user", "candidate", "edit"] as const;
export type LiveNodeKind = (typeof LIVE_NODE_KINDS)[number];
