/**
 * API tokens: researchers and up create tokens for scripts, limited to
 * scopes (and optionally one project), shown once and stored as a sha256 hash; owners
 * revoke their own, admins any. A token acts as its user with the user's CURRENT role,
 * re-read on every request, so a demotion or deactivation takes effect at once.
 */
import { getProjectBySlug } from "@/db/queries/projects";
import {
  getApiTokenByHash,
  getApiTokenById,
  insertApiToken,
  listApiTokensOfUser,
  markApiTokenRevoked,
  touchApiTokenLastUsed,
} from "@/db/queries/tokens";
import { hitRateLimit, rateLimitKey } from "@/db/queries/rate-limit";
import { getUserById } from "@/db/queries/users";
import type { Db } from "@/db/client";
import { can, type Permission } from "@/lib/auth/permissions";
import { generateToken, hashToken, isTokenShaped, scopesAllow, tokenDisplayPrefix } from "@/lib/auth/tokens";
import { AppError, forbiddenError, notFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { CreateApiTokenInput, RevokeApiTokenInput } from "@/lib/validation/tokens";
import { recordAudit } from "./audit";
import type { Actor, ServiceContext } from "./context";
import { requireProjectFor } from "./project-access";

const DAY_MS = 86_400_000;
/** last_used_at is a hint for the owner, not a log: one write a minute per token at most. */
const LAST_USED_INTERVAL_MS = 60_000;

/**
 * Token creations per user and window, counted in PostgreSQL (shared by every app
 * instance): a stolen session cannot mint tokens by the thousand, and a person never
 * needs more than a few an hour.
 */
export const TOKEN_CREATE_LIMIT = { limit: 10, windowSeconds: 60 * 60 };

/**
 * Creates a token for the caller (permission "token.create"). The plain token is in the
 * answer of this call only; the database keeps its hash and a display prefix.
 */
export async function createApiToken(ctx: ServiceContext, raw: unknown, now: Date = new Date()) {
  if (!can(ctx.actor.role, "token.create")) throw forbiddenError();
  const input = parseInput(CreateApiTokenInput, raw);
  const rate = await hitRateLimit(ctx.db, rateLimitKey("token.create", ctx.actor.id), TOKEN_CREATE_LIMIT);
  if (!rate.allowed) {
    throw new AppError(
      "RATE_LIMITED",
      `Too many API tokens created: at most ${TOKEN_CREATE_LIMIT.limit} an hour. Try again in ${Math.ceil(rate.retryAfterSeconds / 60)} minutes.`,
    );
  }
  return ctx.db.transaction(async (tx) => {
    let projectId: number | null = null;
    if (input.projectSlug) {
      // A token reaches no further than its owner: only a project they work on.
      const project = await requireProjectFor({ db: tx, actor: ctx.actor }, input.projectSlug);
      projectId = project.id;
    }
    const token = generateToken();
    const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * DAY_MS) : null;
    const row = await insertApiToken(tx, {
      userId: ctx.actor.id,
      name: input.name,
      tokenHash: hashToken(token),
      tokenPrefix: tokenDisplayPrefix(token),
      scopes: input.scopes,
      projectId,
      expiresAt,
      createdAt: now,
    });
    await recordAudit(
      { db: tx, actor: ctx.actor },
      {
        action: "token.create",
        targetType: "api_token",
        targetId: row.id,
        projectId: projectId ?? undefined,
        details: { name: row.name, prefix: row.tokenPrefix, scopes: row.scopes, expiresAt: expiresAt?.toISOString() ?? null },
      },
    );
    return {
      id: row.id,
      name: row.name,
      token,
      tokenPrefix: row.tokenPrefix,
      scopes: row.scopes,
      projectSlug: input.projectSlug ?? null,
      expiresAt,
    };
  });
}

/** The caller's tokens (never the secret or its hash), newest first, with a derived state. */
export async function listMyTokens(ctx: ServiceContext, now: Date = new Date()) {
  const rows = await listApiTokensOfUser(ctx.db, ctx.actor.id);
  return rows.map((r) => ({
    ...r,
    state: r.revokedAt ? ("revoked" as const) : r.expiresAt && r.expiresAt <= now ? ("expired" as const) : ("active" as const),
  }));
}

/**
 * Revokes a token: the owner's own (whatever their role now — a demoted user must still
 * be able to switch off what they created) or, for an admin, anyone's. Someone else's
 * token answers NOT_FOUND, so ids do not reveal which tokens exist.
 */
export async function revokeApiToken(ctx: ServiceContext, raw: unknown, now: Date = new Date()) {
  const input = parseInput(RevokeApiTokenInput, raw);
  return ctx.db.transaction(async (tx) => {
    const token = await getApiTokenById(tx, input.tokenId);
    if (!token || (token.userId !== ctx.actor.id && ctx.actor.role !== "admin")) throw notFoundError("The token");
    const changed = await markApiTokenRevoked(tx, token.id, now);
    if (changed) {
      await recordAudit(
        { db: tx, actor: ctx.actor },
        {
          action: "token.revoke",
          targetType: "api_token",
          targetId: token.id,
          projectId: token.projectId ?? undefined,
          details: { name: token.name, prefix: token.tokenPrefix, owner: token.userId },
        },
      );
    }
    return { id: token.id, revoked: true, alreadyRevoked: !changed };
  });
}

const badToken = () => new AppError("UNAUTHENTICATED", "The API token is invalid, revoked or expired.");

/**
 * The actor a bearer token stands for, allowed `permission` (on `projectSlug`, when the
 * route is about one project). Unknown, revoked, expired tokens and inactive users are
 * UNAUTHENTICATED (401); a missing scope, a role that no longer allows the permission or
 * another project is FORBIDDEN (403). A project-restricted token is refused on routes
 * that name no project: the token cannot prove those stay inside its project.
 */
export async function authenticateApiToken(
  db: Db,
  input: { token: string; permission: Permission; projectSlug?: string },
  now: Date = new Date(),
): Promise<Actor> {
  if (!isTokenShaped(input.token)) throw badToken();
  const token = await getApiTokenByHash(db, hashToken(input.token));
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) throw badToken();
  const user = await getUserById(db, token.userId);
  if (!user?.active) throw badToken();
  if (!scopesAllow(token.scopes, input.permission)) throw forbiddenError("This API token's scopes do not allow this.");
  if (!can(user.role, input.permission)) throw forbiddenError();
  if (token.projectId !== null) {
    const project = input.projectSlug ? await getProjectBySlug(db, input.projectSlug) : undefined;
    if (!project || project.id !== token.projectId) throw forbiddenError("This API token is limited to another project.");
  }
  await touchApiTokenLastUsed(db, token.id, now, LAST_USED_INTERVAL_MS);
  return { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale };
}
