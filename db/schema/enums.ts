import { pgEnum } from "drizzle-orm/pg-core";
import {
  ASSIGNMENT_STATES,
  COMPARISON_MODES,
  EXPORT_KINDS,
  EXPORT_STATUSES,
  JUDGMENT_STATES,
  LIVE_NODE_KINDS,
  LIVE_SESSION_STATES,
  MEMBER_STATUSES,
  PROJECT_KINDS,
  PROJECT_STATUSES,
  REVIEW_VERDICTS,
  TASK_KINDS,
  USER_ROLES,
} from "../../lib/domain/enums";

// The value lists live in lib/domain/enums.ts (with their unions), so code that must not
// import drizzle uses the same definition.
export const userRole = pgEnum("user_role", USER_ROLES);
export const projectStatus = pgEnum("project_status", PROJECT_STATUSES);
export const comparisonMode = pgEnum("comparison_mode", COMPARISON_MODES);
export const memberStatus = pgEnum("member_status", MEMBER_STATUSES);
export const taskKind = pgEnum("task_kind", TASK_KINDS);
export const assignmentState = pgEnum("assignment_state", ASSIGNMENT_STATES);
export const judgmentState = pgEnum("judgment_state", JUDGMENT_STATES);
export const reviewVerdict = pgEnum("review_verdict", REVIEW_VERDICTS);
export const exportKind = pgEnum("export_kind", EXPORT_KINDS);
export const exportStatus = pgEnum("export_status", EXPORT_STATUSES);
export const projectKind = pgEnum("project_kind", PROJECT_KINDS);
export const liveSessionState = pgEnum("live_session_state", LIVE_SESSION_STATES);
export const liveNodeKind = pgEnum("live_node_kind", LIVE_NODE_KINDS);
export const generationJobState = pgEnum("generation_job_state", ["running", "finished", "cancelled"]);
export const generationUnitState = pgEnum("generation_unit_state", ["pending", "done", "failed", "cancelled"]);
