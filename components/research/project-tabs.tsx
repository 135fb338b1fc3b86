import Link from "next/link";
import type { Translator } from "@/lib/i18n";

const TABS = [
  { key: "overview", href: "", label: "projects.overview" },
  { key: "items", href: "/items", label: "projects.items" },
  { key: "import", href: "/import", label: "projects.import" },
  { key: "generate", href: "/generate", label: "generate.tab" },
  { key: "export", href: "/export", label: "export.tab" },
  { key: "dashboard", href: "/dashboard", label: "nav.dashboard" },
  { key: "settings", href: "/settings", label: "projects.settings" },
] as const;

/** The project's sub-navigation. */
export function ProjectTabs({ slug, current, t }: { slug: string; current: (typeof TABS)[number]["key"]; t: Translator }) {
  return (
    <nav className="nav" aria-label={t("projects.title")}>
      {TABS.map((tab) => (
        <Link key={tab.key} href={`/projects/${slug}${tab.href}`} aria-current={tab.key === current ? "page" : undefined}>
          {t(tab.label)}
        </Link>
      ))}
    </nav>
  );
}
