/**
 * Email + password verification, independent of next-auth so that it can be tested
 * directly: throttled per email, equal work for unknown emails, inactive users refused
 * with the same answer as a wrong password.
 */
import { z } from "zod";
import type { Db } from "@/db/client";
import { clearSignInFailures, getSignInBlock, recordSignInFailure } from "@/db/queries/sign-in-throttle";
import { getUserByEmail, updateUser } from "@/db/queries/users";
import { storableProblems } from "@/lib/validation/storable";
import { verifyPassword } from "./password";
import type { Role } from "./permissions";

export const SignInInput = z.object({
  email: z.string().trim().toLowerCase().min(3).max(320),
  password: z.string().min(1).max(1024),
});
export type SignInInput = z.infer<typeof SignInInput>;

export const THROTTLE = { freeFailures: 5, windowSeconds: 15 * 60, maxBlockSeconds: 15 * 60 };

export type SignInResult =
  | { ok: true; user: { id: number; email: string; name: string; role: Role; sessionVersion: number } }
  | { ok: false; reason: "invalid" | "throttled"; retryAfterSeconds?: number };

export async function verifyCredentials(db: Db, raw: unknown): Promise<SignInResult> {
  // A NUL in the email would reach the throttle's query and fail there: same answer as a typo.
  const parsed = storableProblems(raw).length === 0 ? SignInInput.safeParse(raw) : null;
  if (!parsed?.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const blockedUntil = await getSignInBlock(db, email);
  if (blockedUntil) {
    return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil((blockedUntil.getTime() - Date.now()) / 1000) };
  }
  const user = await getUserByEmail(db, email);
  const matches = await verifyPassword(password, user?.passwordHash);
  if (!user || !matches || !user.active) {
    await recordSignInFailure(db, email, THROTTLE);
    return { ok: false, reason: "invalid" };
  }
  await clearSignInFailures(db, email);
  await updateUser(db, user.id, { lastSignInAt: new Date() });
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion },
  };
}
