"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

type Text = Record<"email" | "password" | "submit" | "submitting" | "invalid" | "throttled" | "failed" | "or" | "oidc", string>;

/**
 * Email + password through next-auth's credentials callback. The message never says
 * which of the two was wrong.
 */
export function SignInForm({
  callbackUrl,
  initialError,
  oidcName,
  text,
}: {
  callbackUrl: string;
  initialError?: string;
  oidcName?: string;
  text: Text;
}) {
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
      callbackUrl,
    });
    if (result?.ok && !result.error) {
      // A full navigation, so the server renders the shell with the new session.
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(result?.error === "TooManyAttempts" ? text.throttled : result?.error === "CredentialsSignin" ? text.invalid : text.failed);
  }

  return (
    <div className="stack">
      <form className="stack" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="email">{text.email}</label>
          {/* biome-ignore lint/a11y/noAutofocus: the sign-in page has one task, and the email field is where it starts */}
          <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
        </div>
        <div className="field">
          <label htmlFor="password">{text.password}</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {pending ? text.submitting : text.submit}
        </button>
      </form>
      {oidcName && (
        <>
          <p className="muted" style={{ textAlign: "center", margin: 0 }}>
            {text.or}
          </p>
          <button className="btn" type="button" onClick={() => signIn("oidc", { callbackUrl })}>
            {text.oidc}
          </button>
        </>
      )}
    </div>
  );
}
