import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { exportKind, exportStatus } from "./enums";
import { projects } from "./projects";
import { users } from "./users";

/** A recorded, reproducible dataset build. */
export const exportsTable = pgTable(
  "exports",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    projectId: bigint("project_id", { mode: "number" })
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    kind: exportKind("kind").notNull(),
    format: text("format").notNull().default("conversational"),
    policy: jsonb("policy").$type<Record<string, unknown>>().notNull(),
    status: exportStatus("status").notNull().default("running"),
    counts: jsonb("counts").$type<Record<string, number>>().notNull().default({}),
    /** [{ name, rows, sha256 }] of every file in the bundle. */
    files: jsonb("files").$type<{ name: string; rows: number; sha256: string }[]>().notNull().default([]),
    sourceJudgments: integer("source_judgments"),
    error: text("error"),
    createdBy: bigint("created_by", { mode: "number" }).references(() => users.id, {
      onDelete: "set null",
    }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
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
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the token, so a user can tell their tokens apart. */
    tokenPrefix: text("token_prefix").notNull(),
    scopes: text("scopes").array().notNull(),
    /** Optional restriction to one project. */
    projectId: bigint("project_id", { mode: "number" }).references(() => projects.id, {
      onDelete: "cascade",
    }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
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
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorId: bigint("actor_id", { mode: "number" }).references(() => users.id, {
      onDelete: "restrict",
    }),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    projectId: bigint("project_id", { mode: "number" }),
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
