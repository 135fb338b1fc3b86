/**
 * User management verbs. Each authorises, parses, then writes in one transaction with
 * an audit entry. Nobody raises a role above their own; a lead manages annotators only.
 */
import { randomBytes } from "node:crypto";
import { bumpSessionVersion, getUserByEmail, getUserById, insertUser, listUsers, updateUser } from "@/db/queries/users";
import { hashPassword } from "@/lib/auth/password";
import { can, canAssignRole, canManageUser } from "@/lib/auth/permissions";
import { conflictError, forbiddenError, notFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { ChangeUserRoleInput, CreateUserInput, SetLocaleInput, SetUserActiveInput, UserListInput } from "@/lib/validation/users";
import { recordAudit } from "./audit";
import type { ServiceContext, CliContext } from "./context";

/** A readable random password for `user:create` and the users page. */
export function generatePassword(): string {
  return randomBytes(12).toString("base64url");
}

/**
 * Creates a user. Returns the generated password once when none was given.
 * Actor null = the command line (an operator with shell access to the server).
 */
export async function createUser(ctx: ServiceContext | CliContext, raw: unknown) {
  const input = parseInput(CreateUserInput, raw);
  if (ctx.actor) {
    if (!can(ctx.actor.role, "user.manage") || !canManageUser(ctx.actor.role, input.role)) {
      throw forbiddenError("You may not create a user with this role.");
    }
  }
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    if (await getUserByEmail(tx, input.email)) throw conflictError(`A user with the email ${input.email} already exists.`);
    const user = await insertUser(tx, { email: input.email, name: input.name, role: input.role, passwordHash });
    if (ctx.actor) {
      await recordAudit(
        { db: tx, actor: ctx.actor },
        {
          action: "user.create",
          targetType: "user",
          targetId: user.id,
          details: { email: user.email, role: user.role },
        },
      );
    }
    return {
      user: { id: user.id, email: user.email, name: user.name, role: user.role },
      generatedPassword: input.password ? null : password,
    };
  });
}

/** Deactivates or reactivates a user; a deactivated user is refused at their next request. */
export async function setUserActive(ctx: ServiceContext, raw: unknown) {
  const input = parseInput(SetUserActiveInput, raw);
  if (!can(ctx.actor.role, "user.manage")) throw forbiddenError();
  if (input.userId === ctx.actor.id) throw forbiddenError("You cannot deactivate yourself.");
  return ctx.db.transaction(async (tx) => {
    const target = await getUserById(tx, input.userId);
    if (!target) throw notFoundError("The user");
    if (!canManageUser(ctx.actor.role, target.role)) throw forbiddenError("You may not manage this user.");
    if (target.active === input.active) return target;
    // Deactivation also ends every session the user holds.
    if (!input.active) await bumpSessionVersion(tx, target.id);
    const updated = await updateUser(tx, target.id, { active: input.active });
    await recordAudit(
      { db: tx, actor: ctx.actor },
      {
        action: input.active ? "user.activate" : "user.deactivate",
        targetType: "user",
        targetId: target.id,
        details: { email: target.email },
      },
    );
    return updated!;
  });
}

/** Changes a user's role (admin only); nobody changes their own role. */
export async function changeUserRole(ctx: ServiceContext, raw: unknown) {
  const input = parseInput(ChangeUserRoleInput, raw);
  if (!can(ctx.actor.role, "user.role.change")) throw forbiddenError();
  if (input.userId === ctx.actor.id) throw forbiddenError("You cannot change your own role.");
  if (!canAssignRole(ctx.actor.role, input.role)) throw forbiddenError("You may not give this role.");
  return ctx.db.transaction(async (tx) => {
    const target = await getUserById(tx, input.userId);
    if (!target) throw notFoundError("The user");
    if (target.role === input.role) return target;
    const updated = await updateUser(tx, target.id, { role: input.role });
    await recordAudit(
      { db: tx, actor: ctx.actor },
      {
        action: "user.role.change",
        targetType: "user",
        targetId: target.id,
        details: { email: target.email, from: target.role, to: input.role },
      },
    );
    return updated!;
  });
}

/** One page of users, for leads and admins. */
export async function listUsersPage(ctx: ServiceContext, raw: unknown) {
  const input = parseInput(UserListInput, raw);
  if (!can(ctx.actor.role, "user.read")) throw forbiddenError();
  const { rows, total } = await listUsers(ctx.db, {
    search: input.search || undefined,
    role: input.role,
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  return { rows, total, page: input.page, pageSize: input.pageSize };
}

/** Remembers the user's UI language. */
export async function setOwnLocale(ctx: ServiceContext, raw: unknown) {
  const input = parseInput(SetLocaleInput, raw);
  await updateUser(ctx.db, ctx.actor.id, { locale: input.locale });
  return input.locale;
}
