/**
 * API tokens — pure helpers: generation, hashing, display prefix and
 * the scope → permission mapping. No db or next imports, so the service and the bearer
 * check share exactly one definition.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Permission } from "./permissions";

export const TOKEN_SCOPES = ["import", "export", "stats", "annotate", "generate"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** What each scope lets a token do; a token never gets more than its user's role allows. */
export const SCOPE_PERMISSIONS: Record<TokenScope, Permission> = {
  import: "item.import",
  export: "export.create",
  stats: "stats.read",
  annotate: "task.annotate",
  generate: "generation.create",
};

const TOKEN_PREFIX = "arb_";
/** "arb_" plus the first 8 characters of the secret: enough to tell tokens apart, useless to guess. */
const DISPLAY_PREFIX_LENGTH = TOKEN_PREFIX.length + 8;

/** A new token: "arb_" + 32 random bytes as base64url (256 bits: hashing without a salt is safe). */
export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/**
 * The stored form of a token. A plain sha256 is enough (no bcrypt): the secret has 256
 * bits of entropy, so there is nothing to brute-force, and the lookup must be by equality.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The part shown in the token list. */
export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, DISPLAY_PREFIX_LENGTH);
}

/** Whether a string looks like one of our tokens (cheap refusal before any database read). */
export function isTokenShaped(value: string): boolean {
  return /^arb_[A-Za-z0-9_-]{43}$/.test(value);
}

export function isTokenScope(value: unknown): value is TokenScope {
  return typeof value === "string" && (TOKEN_SCOPES as readonly string[]).includes(value);
}

/** Whether a token with `scopes` may be used for `permission`. */
export function scopesAllow(scopes: readonly string[], permission: Permission): boolean {
  return scopes.some((s) => isTokenScope(s) && SCOPE_PERMISSIONS[s] === permission);
}
