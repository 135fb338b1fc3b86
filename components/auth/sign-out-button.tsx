"use client";

import { signOut } from "next-auth/react";

export function SignOutButton({ label }: { label: string }) {
  return (
    <button className="btn btn-primary" type="button" onClick={() => signOut({ callbackUrl: "/signin" })}>
      {label}
    </button>
  );
}
