import Link from "next/link";
import { navigationFor } from "@/lib/auth/navigation";
import type { Locale, Translator } from "@/lib/i18n";
import type { Actor } from "@/lib/services/context";
import { LanguageSwitch } from "./language-switch";
import { NavLinks } from "./nav-links";

/** Top bar: brand, the pages this role may open, language switch, the signed-in user. */
export function AppHeader({ user, locale, t }: { user: Actor | null; locale: Locale; t: Translator }) {
  const items = user ? navigationFor(user.role).map((item) => ({ href: item.href, label: t(item.label) })) : [];
  return (
    <header className="shell-header">
      <div className="shell-header-inner">
        <Link href="/" className="brand">
          {t("app.name")}
        </Link>
        {user && <NavLinks items={items} label={t("nav.main")} />}
        <div className="shell-user">
          <LanguageSwitch locale={locale} label={t("nav.language")} />
          {user && (
            <>
              <span data-testid="current-user">
                {user.name || user.email} · {t(`role.${user.role}`)}
              </span>
              <Link href="/signout" className="btn btn-small">
                {t("nav.signOut")}
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
