import type { Metadata } from "next";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { MessagePage } from "@/components/ui/page";
import { getTranslator } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Sign out" };

export default async function SignOutPage() {
  const { t } = await getTranslator();
  return (
    <MessagePage className="signin panel stack" title={t("signOut.title")} message={t("signOut.confirm")}>
      <SignOutButton label={t("signOut.submit")} />
    </MessagePage>
  );
}
