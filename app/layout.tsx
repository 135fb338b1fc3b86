import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { getSessionUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Arbiter", template: "%s · Arbiter" },
  description: "Human preference annotation for role-play language models",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [{ locale, t }, user] = await Promise.all([getTranslator(), getSessionUser()]);
  return (
    <html lang={locale}>
      <body>
        <a className="skip-link" href="#main">
          {locale === "zh-CN" ? "跳到正文" : "Skip to content"}
        </a>
        <AppHeader user={user} locale={locale} t={t} />
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
