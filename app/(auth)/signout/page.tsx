import type { Metadata } from "next";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { getTranslator } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Sign out" };

export default async function SignOutPage() {
  const { t } = await getTranslator();
  return (
    <div className="signin panel stack">
      <h1>{t("signOut.title")}</h1>
      <p>{t("signOut.confirm")}</p>
      <SignOutButton label={t("signOut.submit")} />
    </div>
  );
}
