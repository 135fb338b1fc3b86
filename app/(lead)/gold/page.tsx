import type { Metadata } from "next";
import { GoldTable } from "@/components/lead/gold-table";
import { ReviewTabs } from "@/components/lead/review-tabs";
import { getDb } from "@/db/client";
import { listProjectChoicesFor } from "@/lib/services/project-access";
import { requirePermission } from "@/lib/auth/session";
import { pageData } from "@/lib/pages";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { Page } from "@/components/ui/page";
import { listProjectGold } from "@/lib/services/gold";
import { ProjectPicker } from "@/components/lead/project-picker";

export const metadata: Metadata = { title: "Gold tasks" };

export default async function GoldPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission("judgment.review");
  const q = await searchParams;
  const { locale, t } = await getTranslator();
  const projects = await listProjectChoicesFor({ db: getDb(), actor });
  const slug = q.project || projects[0]?.slug;
  const gold = slug ? await pageData(listProjectGold({ db: getDb(), actor }, { projectSlug: slug, page: q.page ?? 1 })) : null;
  return (
    <Page title={t("gold.title", { name: gold?.project.name ?? "" })} tabs={<ReviewTabs current="gold" project={slug} t={t} />}>
      <ProjectPicker projects={projects} current={slug} label={t("gold.pick")} submit={t("gold.show")} />
      {gold && gold.total === 0 && <p className="muted">{t("gold.none")}</p>}
      {gold && gold.total > 0 && (
        <GoldTable
          rows={gold.rows.map((r) => ({ ...r, retired: r.retiredAt !== null, gold: r.gold }))}
          paging={gold}
          messages={messagesFor(locale)}
        />
      )}
    </Page>
  );
}
