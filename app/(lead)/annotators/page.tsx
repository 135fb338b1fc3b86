import type { Metadata } from "next";
import { AnnotatorsTable } from "@/components/lead/annotators-table";
import { getDb } from "@/db/client";
import { listProjectChoicesFor } from "@/lib/services/project-access";
import { requirePermission } from "@/lib/auth/session";
import { pageData } from "@/lib/pages";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { Page } from "@/components/ui/page";
import { listProjectAnnotators } from "@/lib/services/annotators";
import { ProjectPicker } from "@/components/lead/project-picker";

export const metadata: Metadata = { title: "Annotators" };

export default async function AnnotatorsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission("annotator.manage");
  const q = await searchParams;
  const { locale, t } = await getTranslator();
  const projects = await listProjectChoicesFor({ db: getDb(), actor });
  const slug = q.project || projects[0]?.slug;
  const list = slug ? await pageData(listProjectAnnotators({ db: getDb(), actor }, { projectSlug: slug })) : null;
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
              messages={messagesFor(locale)}
            />
          )}
        </>
      )}
    </Page>
  );
}
