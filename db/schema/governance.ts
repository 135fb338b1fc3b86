import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { exportKind, exportStatus } from "./enums";
import { projects } from "./projects";
import { users } from "./users";
import { createdAt, idColumn, identity, instant, optionalReference, reference } from "./columns";

/** A recorded, reproducible dataset build. */
export const exportsTable = pgTable(
  "exports",
  {
    id: identity(),
    projectId: reference("project_id", () => projects.id, "cascade"),
    kind: exportKind("kind").notNull(),
    format: text("format").notNull().default("conversational"),
    policy: jsonb("policy").$type<Record<string, unknown>>().notNull(),
    status: exportStatus("status").notNull().default("running"),
    counts: jsonb("counts").$type<Record<string, number>>().notNull().default({}),
    /** [{ name, rows, sha256 }] of every file in the bundle. */
    files: jsonb("files").$type<{ name: string; rows: number; sha256: string }[]>().notNull().default([]),
    sourceJudgments: integer("source_judgments"),
    error: text("error"),
    createdBy: optionalReference("created_by", () => users.id, "set null"),
    createdAt: createdAt(),
    finishedAt: instant("finished_at"),
  },
  (t) => [
    // "Past exports" of a project, newest first.
    index("exports_project_created_idx").on(t.projectId, t.createdAt.desc()),
  ],
);

export const API_TOKEN_SCOPES = ["import", "export", "stats", "annotate"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** API tokens: only a sha256 of the secret is stored; shown once at creation. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: identity(),
    userId: reference("user_id", () => users.id, "cascade"),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the token, so a user can tell their tokens apart. */
    tokenPrefix: text("token_prefix").notNull(),
    scopes: text("scopes").array().notNull(),
    /** Optional restriction to one project. */
    projectId: optionalReference("project_id", () => projects.id, "cascade"),
    expiresAt: instant("expires_at"),
    revokedAt: instant("revoked_at"),
    lastUsedAt: instant("last_used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // Bearer authentication looks the token up by its hash.
    uniqueIndex("api_tokens_hash_key").on(t.tokenHash),
    index("api_tokens_user_idx").on(t.userId),
    check(
      "api_tokens_scopes_known",
      sql`cardinality(${t.scopes}) > 0 and ${t.scopes} <@ array['import', 'export', 'stats', 'annotate', 'generate']::text[]`,
    ),
  ],
);

/**
 * Who changed what, when. Append-only: a trigger (migration 0001) refuses UPDATE and
 * DELETE, and the code has no path that tries. project_id has no foreign key on purpose:
 * the record outlives what it describes.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: identity(),
    at: instant("at").notNull().defaultNow(),
    actorId: optionalReference("actor_id", () => users.id, "restrict"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    projectId: idColumn("project_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    // The audit page: newest first, filtered by project, actor or action.
    index("audit_log_at_idx").on(t.at.desc()),
    index("audit_log_project_at_idx").on(t.projectId, t.at.desc()),
    index("audit_log_actor_at_idx").on(t.actorId, t.at.desc()),
    index("audit_log_action_at_idx").on(t.action, t.at.desc()),
  ],
);

export type Export = typeof exportsTable.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;
