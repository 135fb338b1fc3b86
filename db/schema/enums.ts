import { pgEnum } from "drizzle-orm/pg-core";

export const userRole = pgEnum("user_role", ["annotator", "researcher", "lead", "admin"]);
export const projectStatus = pgEnum("project_status", ["draft", "active", "paused", "archived"]);
export const comparisonMode = pgEnum("comparison_mode", ["pairwise", "ranking"]);
export const memberStatus = pgEnum("member_status", ["active", "paused", "qualification"]);
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
export const generationJobState = pgEnum("generation_job_state", ["running", "finished", "cancelled"]);
export const generationUnitState = pgEnum("generation_unit_state", ["pending", "done", "failed", "cancelled"]);
