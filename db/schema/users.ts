import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { userRole } from "./enums";
import { createdAt, identity, instant, updatedAt } from "./columns";

export const users = pgTable(
  "users",
  {
    id: identity(),
    /** Stored lower-cased; the unique index makes sign-in case-insensitive. */
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    /** bcrypt hash; null for users who only sign in through OpenID Connect. */
    passwordHash: text("password_hash"),
    role: userRole("role").notNull().default("annotator"),
    /** Deactivated users are refused at their next request, whatever their token says. */
    active: boolean("active").notNull().default(true),
    /** The UI language the user picked with the switch; null: follow the browser (Accept-Language). */
    locale: text("locale"),
    /** Subject of the OpenID Connect identity linked to this user, if any. */
    oidcSubject: text("oidc_subject"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastSignInAt: instant("last_sign_in_at"),
    /** Bumped at sign-out and deactivation: sessions minted before then stop working. */
    sessionVersion: integer("session_version").notNull().default(0),
  },
  (t) => [
    // Sign-in by email.
    uniqueIndex("users_email_key").on(t.email),
    uniqueIndex("users_oidc_subject_key").on(t.oidcSubject),
    // User management table filtered by role.
    index("users_role_idx").on(t.role),
    check("users_email_lowercase", sql`${t.email} = lower(${t.email}) and position('@' in ${t.email}) > 1`),
    check("users_locale_known", sql`${t.locale} in ('en', 'zh-CN')`),
  ],
);

/**
 * Failed sign-in attempts per email (known or not, so that throttling does not reveal
 * which emails exist). Kept in the database so that every app instance sees the same count.
 */
export const signInThrottle = pgTable(
  "sign_in_throttle",
  {
    key: text("key").primaryKey(),
    failures: integer("failures").notNull().default(0),
    firstFailedAt: instant("first_failed_at").notNull().defaultNow(),
    /** The latest failure: a run of failures lasts while they keep coming (sliding window). */
    lastFailedAt: instant("last_failed_at").notNull().defaultNow(),
    blockedUntil: instant("blocked_until"),
  },
  (t) => [
    // Pruning finds rows whose run and block are over without a scan.
    index("sign_in_throttle_last_failed_idx").on(t.lastFailedAt),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
