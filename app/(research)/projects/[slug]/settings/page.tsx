import type { Metadata } from "next";
import { ProjectForm } from "@/components/research/project-form";
import { ProjectTabs } from "@/components/research/project-tabs";
import { getDb } from "@/db/client";
import { requirePermission } from "@/lib/auth/session";
import { pageData } from "@/lib/pages";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { Page } from "@/components/ui/page";
import { getProjectOverview } from "@/lib/services/projects";
import { ProjectSettings } from "@/lib/validation/project-settings";

export const metadata: Metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await requirePermission("project.write");
  const { slug } = await params;
  const { locale, t } = await getTranslator();
  const overview = await pageData(getProjectOverview({ db: getDb(), actor }, { slug }));
  const { project, work } = overview;
  return (
    <Page title={t("projects.editTitle", { name: project.name })} tabs={<ProjectTabs slug={project.slug} current="settings" t={t} />}>
      <ProjectForm
        mode="edit"
        initial={{
          slug: project.slug,
          name: project.name,
          description: project.description,
          guidelines: project.guidelines,
          settings: ProjectSettings.parse(project.settings),
        }}
        locked={{ mode: work.tasks > 0, scalePoints: work.judgments > 0 }}
        messages={messagesFor(locale)}
        locale={locale}
      />
    </Page>
  );
}
