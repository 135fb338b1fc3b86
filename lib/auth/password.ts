import bcrypt from "bcryptjs";

/** bcrypt cost; 11 ≈ 100 ms per hash on a 2-core machine. */
const ROUNDS = Number(process.env.BCRYPT_ROUNDS ?? 11);

export async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, ROUNDS);
}

// Compared against when the email is unknown, so both paths cost one bcrypt compare.
const DUMMY_HASH = bcrypt.hashSync("arbiter-dummy-password", ROUNDS);

/** Constant-work verification: an unknown user (null hash) still costs one compare. */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return ok && Boolean(hash);
}

export const PASSWORD_MIN_LENGTH = 10;
