/**
 * Email + password verification, independent of next-auth so that it can be tested
 * directly. Three limits, all in PostgreSQL so that every app instance counts together:
 * per account (email), per client address (one password sprayed over many emails), and a
 * global failure budget (a spray spread over many addresses). Unknown emails cost the same
 * work as known ones; inactive users get the same answer as a wrong password.
 */
import { z } from "zod";
import type { Db } from "@/db/client";
import {
  clearSignInFailures,
  getThrottleStates,
  recordSignInFailure,
  type ThrottlePolicy,
  type ThrottleState,
} from "@/db/queries/sign-in-throttle";
import { getUserByEmail, updateUser } from "@/db/queries/users";
import { storableProblems } from "@/lib/validation/storable";
import { verifyPassword } from "./password";
import type { Role } from "./permissions";

export const SignInInput = z.object({
  email: z.string().trim().toLowerCase().min(3).max(320),
  password: z.string().min(1).max(1024),
});
export type SignInInput = z.infer<typeof SignInInput>;

export type SignInPolicy = {
  /** Per email: a person mistyping gets a few tries, then waits (doubling, at most 15 min). */
  account: ThrottlePolicy;
  /** Per client address: enough for a shared office, far too few for a spray. */
  address: ThrottlePolicy;
  /**
   * All failures together. Past `freeFailures` within the window the whole site is under
   * attack: every address and every account that has failed in the window is refused until
   * its run ends, so a spray spread over many addresses gets one guess per address; a user
   * who has not failed still signs in.
   */
  global: { freeFailures: number; windowSeconds: number };
};

const ACCOUNT = { freeFailures: 5, windowSeconds: 15 * 60, maxBlockSeconds: 15 * 60 };

export const THROTTLE = {
  ...ACCOUNT,
  account: ACCOUNT,
  address: { freeFailures: 20, windowSeconds: 15 * 60, maxBlockSeconds: 60 * 60 },
  global: { freeFailures: Number(process.env.SIGN_IN_GLOBAL_FAILURE_BUDGET) || 500, windowSeconds: 15 * 60 },
} satisfies SignInPolicy & ThrottlePolicy;

/** Keys in sign_in_throttle: emails as they are (lower case), the others with a capitalised prefix. */
export const addressKey = (address: string) => `Addr:${address}`;
export const GLOBAL_KEY = "Global:sign-in";

export type SignInResult =
  | { ok: true; user: { id: number; email: string; name: string; role: Role; sessionVersion: number } }
  | { ok: false; reason: "invalid" | "throttled"; retryAfterSeconds?: number };

export type SignInContext = {
  /** The client's address (see {@link clientAddress}); unknown clients share one key. */
  address?: string | null;
  policy?: SignInPolicy;
};

function inRun(state: ThrottleState | undefined, windowSeconds: number, now: number): boolean {
  return Boolean(state && state.failures > 0 && state.lastFailedAt.getTime() > now - windowSeconds * 1000);
}

export async function verifyCredentials(db: Db, raw: unknown, context: SignInContext = {}): Promise<SignInResult> {
  // A NUL in the email would reach the throttle's query and fail there: same answer as a typo.
  const parsed = storableProblems(raw).length === 0 ? SignInInput.safeParse(raw) : null;
  if (!parsed?.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const policy = context.policy ?? THROTTLE;
  const address = addressKey(context.address?.trim() || "unknown");
  const states = await getThrottleStates(db, [email, address, GLOBAL_KEY]);
  const now = Date.now();
  const blockedUntil = [states.get(email)?.blockedUntil, states.get(address)?.blockedUntil]
    .filter((d): d is Date => Boolean(d && d.getTime() > now))
    .sort((a, b) => b.getTime() - a.getTime())[0];
  if (blockedUntil) {
    return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil((blockedUntil.getTime() - now) / 1000) };
  }
  // An address past its free failures stays refused for as long as its run lasts (the
  // window slides with each counted failure), not just for the short doubling block: a
  // slow spray gains nothing by waiting the block out.
  const addressState = states.get(address);
  if (inRun(addressState, policy.address.windowSeconds, now) && addressState!.failures >= policy.address.freeFailures) {
    const until = addressState!.lastFailedAt.getTime() + policy.address.windowSeconds * 1000;
    return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil((until - now) / 1000) };
  }
  const global = states.get(GLOBAL_KEY);
  const underAttack = inRun(global, policy.global.windowSeconds, now) && global!.failures >= policy.global.freeFailures;
  if (
    underAttack &&
    (inRun(states.get(address), policy.address.windowSeconds, now) || inRun(states.get(email), policy.account.windowSeconds, now))
  ) {
    return { ok: false, reason: "throttled", retryAfterSeconds: policy.global.windowSeconds };
  }
  const user = await getUserByEmail(db, email);
  const matches = await verifyPassword(password, user?.passwordHash);
  if (!user || !matches || !user.active) {
    await recordSignInFailure(db, email, policy.account);
    await recordSignInFailure(db, address, policy.address);
    await recordSignInFailure(db, GLOBAL_KEY, { ...policy.global, maxBlockSeconds: 0, freeFailures: 2 ** 31 - 1 });
    return { ok: false, reason: "invalid" };
  }
  // The address keeps its count: signing in to one's own account must not reset a spray.
  await clearSignInFailures(db, email);
  await updateUser(db, user.id, { lastSignInAt: new Date() });
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion },
  };
}

/**
 * The client's address as the nearest proxy saw it: the last entry of X-Forwarded-For
 * (each proxy appends the address it was connected from), else X-Real-IP. Behind a load
 * balancer that appends, a client cannot choose it; with no proxy in front, Next.js sets
 * the header from the socket only when the client sent none, so a client can name any
 * address — the account limit and the global budget still hold then (docs/security.md).
 */
export function clientAddress(headers: { get(name: string): string | null | undefined }): string | null {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .pop();
  const address = last || headers.get("x-real-ip")?.trim() || null;
  // Bounded: the value becomes a primary key.
  return address ? address.slice(0, 100) : null;
}
