/**
 * Linking an OpenID Connect identity to an Arbiter user. The provider's `sub` is the
 * identity; the email only finds the account the first time, and only when the provider
 * says it verified that email. After that the account belongs to that `sub`: another
 * `sub` with the same email (a re-created or hijacked provider account, a second
 * provider) is refused and audited.
 */
import type { Db } from "@/db/client";
import { insertAuditEntry } from "@/db/queries/audit";
import { getUserByEmail, updateUser } from "@/db/queries/users";

export type OidcClaims = { sub?: unknown; email?: unknown; email_verified?: unknown };

export type OidcLinkResult =
  | { ok: true; userId: number; linked: boolean }
  | { ok: false; reason: "unverified" | "unknown" | "subject_mismatch" };

/** Error codes the sign-in page shows for each refusal (next-auth passes them as ?error=). */
export const OIDC_ERRORS = { unverified: "OidcUnverified", unknown: "AccessDenied", subject_mismatch: "OidcSubjectMismatch" } as const;

export async function linkOidcIdentity(db: Db, claims: OidcClaims, now: Date = new Date()): Promise<OidcLinkResult> {
  const sub = typeof claims.sub === "string" && claims.sub.length > 0 && claims.sub.length <= 255 ? claims.sub : null;
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : null;
  if (!sub || !email) return { ok: false, reason: "unknown" };
  // Only a literal true: providers that send "true" as a string or omit it are not trusted.
  if (claims.email_verified !== true) return { ok: false, reason: "unverified" };
  const user = await getUserByEmail(db, email);
  if (!user?.active) return { ok: false, reason: "unknown" };
  if (user.oidcSubject !== null && user.oidcSubject !== sub) {
    await insertAuditEntry(db, {
      actorId: null,
      action: "auth.oidc.refused",
      targetType: "user",
      targetId: String(user.id),
      projectId: null,
      details: { email, reason: "another identity is linked to this account", presentedSubject: sub },
    });
    return { ok: false, reason: "subject_mismatch" };
  }
  const linked = user.oidcSubject === null;
  await updateUser(db, user.id, { oidcSubject: sub, lastSignInAt: now });
  if (linked) {
    await insertAuditEntry(db, {
      actorId: user.id,
      action: "auth.oidc.link",
      targetType: "user",
      targetId: String(user.id),
      projectId: null,
      details: { email, subject: sub },
    });
  }
  return { ok: true, userId: user.id, linked };
}
