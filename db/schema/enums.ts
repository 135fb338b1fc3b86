import { pgEnum } from "drizzle-orm/pg-core";

export const userRole = pgEnum("user_role", ["annotator", "researcher", "lead", "admin"]);
export const projectStatus = pgEnum("project_status", ["draft", "active", "paused", "archived"]);
export const comparisonMode = pgEnum("comparison_mode", ["pairwise", "ranking"]);
/**
 * A member's standing in a project. "removed" keeps the row, and with it a lead's decisions
 * (the earlier standing in status_before_removal, the export exclusion), so that removing
 * and re-adding someone cannot undo them.
 */
export const memberStatus = pgEnum("member_status", ["active", "paused", "qualification", "removed"]);
export const taskKind = pgEnum("task_kind", ["pairwise", "ranking"]);
export const assignmentState = pgEnum("assignment_state", [
  "active",
  "submitted",
  "skipped",
  "expired",
  "released",
]);
export const judgmentState = pgEnum("judgment_state", ["valid", "rejected", "superseded"]);
export const reviewVerdict = pgEnum("review_verdict", ["accept", "reject", "adjudicate"]);
export const exportKind = pgEnum("export_kind", ["dpo", "rm", "kto", "raw"]);
export const exportStatus = pgEnum("export_status", ["running", "done", "failed"]);
