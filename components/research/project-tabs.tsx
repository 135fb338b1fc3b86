import Link from "next/link";
import type { MessageKey, Translator } from "@/lib/i18n";

/** The tabs in order, each at /projects/{slug}/{key} (the overview at the project's own path). */
const TABS = [
  ["overview", "projects.overview"],
  ["items", "projects.items"],
  ["import", "projects.import"],
  ["generate", "generate.tab"],
  ["export", "export.tab"],
  ["dashboard", "nav.dashboard"],
  ["settings", "projects.settings"],
] as const satisfies readonly (readonly [string, MessageKey])[];

/** The project's sub-navigation. */
export function ProjectTabs({ slug, current, t }: { slug: string; current: (typeof TABS)[number][0]; t: Translator }) {
  return (
    <nav className="nav" aria-label={t("projects.title")}>
      {TABS.map(([key, label]) => (
        <Link
          key={key}
          href={`/projects/${slug}${key === "overview" ? "" : `/${key}`}`}
          aria-current={key === current ? "page" : undefined}
        >
          {t(label)}
        </Link>
      ))}
    </nav>
  );
}
