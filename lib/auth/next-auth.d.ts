import "next-auth/jwt";

declare module "next-auth/jwt" {
  interface JWT {
    uid?: number;
    role?: string;
    /** users.session_version when the token was minted. */
    sv?: number;
  }
}
