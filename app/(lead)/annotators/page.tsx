import type { Metadata } from "next";
import { AnnotatorsTable } from "@/components/lead/annotators-table";
import { pageData, projectChoice, staffPage, type PageProps } from "@/lib/pages";
import { Page } from "@/components/ui/page";
import { listProjectAnnotators } from "@/lib/services/annotators";
import { ProjectPicker } from "@/components/lead/project-picker";

export const metadata: Metadata = { title: "Annotators" };

export default async function AnnotatorsPage({ searchParams }: PageProps) {
  const { ctx, t, messages } = await staffPage("annotator.manage");
  const q = await searchParams;
  const { projects, slug } = await projectChoice(ctx, q.project);
  const list = slug ? await pageData(listProjectAnnotators(ctx, { projectSlug: slug })) : null;
  return (
    <Page title={t("annotators.title")}>
      <ProjectPicker projects={projects} current={slug} label={t("annotators.project")} submit={t("annotators.show")} />
      {list && (
        <>
          <p className="muted">
            {t("dashboard.flagRules", {
              seconds: list.overall.medianSeconds ?? "—",
              gold: `${Math.round(list.project.goldMinAccuracy * 100)}%`,
            })}
          </p>
          {list.rows.length === 0 ? (
            <p className="muted">{t("annotators.none")}</p>
          ) : (
            <AnnotatorsTable
              projectSlug={list.project.slug}
              rows={list.rows.map((r) => ({
                userId: r.userId,
                email: r.email,
                name: r.name,
                status: r.status,
                excluded: r.excluded,
                stats: r.stats,
              }))}
              messages={messages}
            />
          )}
        </>
      )}
    </Page>
  );
}
