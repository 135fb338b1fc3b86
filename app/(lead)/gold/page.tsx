import type { Metadata } from "next";
import { GoldTable } from "@/components/lead/gold-table";
import { ReviewTabs } from "@/components/lead/review-tabs";
import { pageData, projectChoice, staffPage, type PageProps } from "@/lib/pages";
import { Page } from "@/components/ui/page";
import { listProjectGold } from "@/lib/services/gold";
import { ProjectPicker } from "@/components/lead/project-picker";

export const metadata: Metadata = { title: "Gold tasks" };

export default async function GoldPage({ searchParams }: PageProps) {
  const { ctx, t, messages } = await staffPage("judgment.review");
  const q = await searchParams;
  const { projects, slug } = await projectChoice(ctx, q.project);
  const gold = slug ? await pageData(listProjectGold(ctx, { projectSlug: slug, page: q.page ?? 1 })) : null;
  return (
    <Page title={t("gold.title", { name: gold?.project.name ?? "" })} tabs={<ReviewTabs current="gold" project={slug} t={t} />}>
      <ProjectPicker projects={projects} current={slug} label={t("gold.pick")} submit={t("gold.show")} />
      {gold && gold.total === 0 && <p className="muted">{t("gold.none")}</p>}
      {gold && gold.total > 0 && (
        <GoldTable rows={gold.rows.map((r) => ({ ...r, retired: r.retiredAt !== null, gold: r.gold }))} paging={gold} messages={messages} />
      )}
    </Page>
  );
}
