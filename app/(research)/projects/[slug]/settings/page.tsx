import type { Metadata } from "next";
import { ProjectForm } from "@/components/research/project-form";
import { ProjectTabs } from "@/components/research/project-tabs";
import { pageData, staffPage, type PageProps } from "@/lib/pages";
import { Page } from "@/components/ui/page";
import { getProjectOverview } from "@/lib/services/projects";
import { ProjectSettings } from "@/lib/validation/project-settings";

export const metadata: Metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({ params }: PageProps<{ slug: string }>) {
  const { ctx, locale, t, messages } = await staffPage("project.write");
  const { slug } = await params;
  const overview = await pageData(getProjectOverview(ctx, { slug }));
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
        messages={messages}
        locale={locale}
      />
    </Page>
  );
}
