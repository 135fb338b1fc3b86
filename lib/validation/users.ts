import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { pageNumber, pageSize } from "./list-query";

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(320, "is too long")
  .pipe(z.email({ message: "must be an email address" }));

export const Password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, "must be at most 200 characters");

export const CreateUserInput = z.object({
  email: Email,
  name: z.string().trim().max(200).default(""),
  role: z.enum(ROLES),
  /** Omitted: a password is generated and returned once. */
  password: Password.optional(),
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const SetUserActiveInput = z.object({
  userId: z.coerce.number().int().positive(),
  active: z.boolean(),
});
export type SetUserActiveInput = z.infer<typeof SetUserActiveInput>;

export const ChangeUserRoleInput = z.object({
  userId: z.coerce.number().int().positive(),
  role: z.enum(ROLES),
});
export type ChangeUserRoleInput = z.infer<typeof ChangeUserRoleInput>;

export const SetLocaleInput = z.object({ locale: z.enum(["en", "zh-CN"]) });

export const UserListInput = z.object({
  search: z.string().trim().max(200).optional(),
  role: z.enum(ROLES).optional(),
  page: pageNumber(100_000),
  pageSize: pageSize(50),
});
export type UserListInput = z.infer<typeof UserListInput>;
