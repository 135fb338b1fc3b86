"use client";

import { signIn } from "next-auth/react";
import { useActionState } from "react";
import { signInAction, type SignInState } from "@/app/(auth)/signin/actions";

type Text = Record<"email" | "password" | "submit" | "submitting" | "invalid" | "throttled" | "failed" | "or" | "oidc", string>;

/**
 * Email + password, posted to a server action: it works before (or without) client script
 * — the browser posts the form, never a GET with the password in the URL — and with
 * script it submits without a page load. The message never says which of the two was wrong.
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
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInAction, {});
  const error = state.error === "throttled" ? text.throttled : state.error === "invalid" ? text.invalid : initialError;

  return (
    <div className="stack">
      <form className="stack" action={formAction} method="post" noValidate>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <div className="field">
          <label htmlFor="email">{text.email}</label>
          {/* biome-ignore lint/a11y/noAutofocus: the sign-in page has one task, and the email field is where it starts */}
          <input id="email" name="email" type="email" autoComplete="username" required autoFocus defaultValue={state.email} />
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
