import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { oidcEnabled } from "@/lib/auth/options";
import { safeCallback } from "@/lib/auth/redirect";
import { getSessionUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl, process.env.NEXTAUTH_URL);
  if (await getSessionUser()) redirect(callbackUrl);
  const { t } = await getTranslator();
  const error = typeof params.error === "string" ? params.error : undefined;
  const errorMessage =
    error === "CredentialsSignin"
      ? t("signIn.invalid")
      : error === "TooManyAttempts"
        ? t("signIn.throttled")
        : error === "AccessDenied"
          ? t("signIn.oidcRefused")
          : error === "OidcSubjectMismatch"
            ? t("signIn.oidcSubjectMismatch")
            : error === "OidcUnverified"
              ? t("signIn.oidcUnverified")
              : error
                ? t("signIn.error")
                : undefined;
  return (
    <div className="signin panel stack">
      <h1>{t("signIn.title")}</h1>
      <SignInForm
        callbackUrl={callbackUrl}
        initialError={errorMessage}
        oidcName={oidcEnabled() ? process.env.OIDC_NAME || "SSO" : undefined}
        text={{
          email: t("signIn.email"),
          password: t("signIn.password"),
          submit: t("signIn.submit"),
          submitting: t("signIn.submitting"),
          invalid: t("signIn.invalid"),
          throttled: t("signIn.throttled"),
          failed: t("signIn.error"),
          or: t("signIn.or"),
          oidc: t("signIn.oidc", { provider: process.env.OIDC_NAME || "SSO" }),
        }}
      />
    </div>
  );
}
