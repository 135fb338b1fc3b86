/**
 * next-auth (v4) configuration: credentials (email + password) always, OpenID Connect
 * when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. JWT sessions carry the
 * user id and role, but every request re-reads both from the database (session.ts).
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { bumpSessionVersion, getUserByOidcSubject } from "@/db/queries/users";
import { linkOidcIdentity, OIDC_ERRORS, type OidcClaims } from "./oidc";
import { safeCallback } from "./redirect";
import { clientAddress, verifyCredentials } from "./sign-in";

export function oidcEnabled(): boolean {
  return Boolean(process.env.OIDC_ISSUER && process.env.OIDC_CLIENT_ID && process.env.OIDC_CLIENT_SECRET);
}

/** Error codes the sign-in page understands (next-auth passes them as ?error=). */
export const SIGN_IN_ERRORS = { invalid: "CredentialsSignin", throttled: "TooManyAttempts" } as const;

function providers(): NextAuthOptions["providers"] {
  const list: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, req) {
        const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
        const address = clientAddress({ get: (name) => headers[name] });
        const result = await verifyCredentials(getDb(), credentials, { address });
        if (result.ok) return { ...result.user, id: String(result.user.id) };
        if (result.reason === "throttled") throw new Error(SIGN_IN_ERRORS.throttled);
        return null;
      },
    }),
  ];
  if (oidcEnabled()) {
    list.push({
      id: "oidc",
      name: process.env.OIDC_NAME || "Single sign-on",
      type: "oauth",
      wellKnown: `${process.env.OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: process.env.OIDC_CLIENT_ID,
      clientSecret: process.env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? null };
      },
    });
  }
  return list;
}

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/signin", signOut: "/signout", error: "/signin" },
  providers: providers(),
  callbacks: {
    /** After any sign-in or sign-out: a path on this app, never another site. */
    redirect({ url, baseUrl }) {
      return new URL(safeCallback(url, baseUrl), baseUrl).toString();
    },
    /**
     * OIDC identities sign in only as an existing, active user whose email the provider
     * verified, and only with the `sub` linked on first sign-in (lib/auth/oidc.ts).
     */
    async signIn({ account, profile }) {
      if (account?.provider !== "oidc") return true;
      const result = await linkOidcIdentity(getDb(), (profile ?? {}) as OidcClaims);
      return result.ok ? true : `/signin?error=${OIDC_ERRORS[result.reason]}`;
    },
    async jwt({ token, user, account }) {
      if (user && account?.provider === "credentials") {
        const u = user as unknown as { id: string; role: string; sessionVersion: number };
        token.uid = Number(u.id);
        token.role = u.role;
        token.sv = u.sessionVersion;
      } else if (user && account?.provider === "oidc" && account.providerAccountId) {
        // The account linked to this `sub` by the signIn callback, never one found by email.
        const existing = await getUserByOidcSubject(getDb(), account.providerAccountId);
        if (existing) {
          token.uid = existing.id;
          token.role = existing.role;
          token.sv = existing.sessionVersion;
        }
      }
      return token;
    },
    async session({ session, token }) {
      return { ...session, user: { ...session.user, id: token.uid, role: token.role, sv: token.sv } };
    },
  },
  events: {
    /** Signing out ends every session of the user, not just this cookie. */
    async signOut({ token }) {
      if (typeof token?.uid === "number") await bumpSessionVersion(getDb(), token.uid);
    },
  },
};
