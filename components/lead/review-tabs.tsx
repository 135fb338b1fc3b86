import Link from "next/link";
import type { Translator } from "@/lib/i18n";

/** The review area's sub-navigation: the contested queue and the gold tasks. */
export function ReviewTabs({ current, project, t }: { current: "queue" | "gold"; project?: string; t: Translator }) {
  const q = project ? `?project=${encodeURIComponent(project)}` : "";
  return (
    <nav className="nav" aria-label={t("review.tabs")}>
      <Link href={`/review${q}`} aria-current={current === "queue" ? "page" : undefined}>
        {t("review.tab.queue")}
      </Link>
      <Link href={`/gold${q}`} aria-current={current === "gold" ? "page" : undefined}>
        {t("review.tab.gold")}
      </Link>
    </nav>
  );
}
